// Both packages, unchanged, against another authorization server: panva's
// oidc-provider with the client-credentials grant, RFC 8707 resource
// indicators and RFC 9068 JWT access tokens. The client finds the token
// endpoint by discovery, authenticates with a secret or private_key_jwt, gets
// DPoP-bound tokens (through the server's DPoP-Nonce challenge); the verifier
// accepts them in each framework adapter, and refuses them elsewhere.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from "jose";
import Provider, { errors } from "oidc-provider";
import { createTokenClient, isTokenError } from "@grantry/client";
import { createVerifier } from "@grantry/verify";
import { startFrameworks, type Framework } from "../../verify/test/frameworks";

const API = "https://things.example.com/";
const SCOPE = "read:things write:things";
const jwtClientKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
let issuer: string;
let server: http.Server;
let frameworks: Framework[];

before(async () => {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "secret-client",
        client_secret: "a-long-enough-secret-value",
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        scope: SCOPE,
        id_token_signed_response_alg: "ES256",
      },
      {
        client_id: "jwt-client",
        token_endpoint_auth_method: "private_key_jwt",
        token_endpoint_auth_signing_alg: "ES256",
        id_token_signed_response_alg: "ES256",
        jwks: { keys: [{ ...jwtClientKey.publicKey.export({ format: "jwk" }), kid: "jwt-client-key", alg: "ES256", use: "sig" }] },
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        scope: SCOPE,
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "op-es256", alg: "ES256", use: "sig" }] },
    scopes: SCOPE.split(" "),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Every DPoP request must carry a server nonce (RFC 9449 §8): the client has to answer use_dpop_nonce.
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== API) throw new errors.InvalidTarget();
          return { scope: SCOPE, audience: API, accessTokenTTL: 300, accessTokenFormat: "jwt", jwt: { sign: { alg: "ES256" } } };
        },
      },
    },
  });
  server.on("request", provider.callback());
  frameworks = await startFrameworks(createVerifier({ issuer, audience: API }));
});
after(async () => {
  for (const f of frameworks ?? []) await f.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("against oidc-provider", () => {
  it("client_secret_basic after discovery: an RFC 9068 token the verifier accepts in every adapter", async () => {
    const client = createTokenClient({ issuer, clientId: "secret-client", clientSecret: "a-long-enough-secret-value", audience: API, scope: SCOPE });
    const token = await client.getToken();
    assert.equal(token.tokenType, "Bearer");
    assert.equal(decodeProtectedHeader(token.accessToken).typ, "at+jwt");
    for (const f of frameworks) {
      const res = await client.fetch(`${f.url}/things`);
      assert.equal(res.status, 200, f.name);
      assert.deepEqual(await res.json(), { client_id: "secret-client", scopes: ["read:things", "write:things"], scheme: "Bearer" }, f.name);
    }
  });
  it("private_key_jwt", async () => {
    const client = createTokenClient({
      issuer,
      clientId: "jwt-client",
      privateKey: jwtClientKey.privateKey,
      keyId: "jwt-client-key",
      audience: API,
      scope: "read:things",
    });
    const claims = await createVerifier({ issuer, audience: API }).verify((await client.getToken()).accessToken);
    assert.equal(claims.client_id, "jwt-client");
    assert.equal(claims.scope, "read:things");
  });
  it("DPoP: a bound token (through the DPoP-Nonce challenge), used with a proof per call in every adapter", async () => {
    const dpopKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    const client = createTokenClient({
      issuer,
      clientId: "secret-client",
      clientSecret: "a-long-enough-secret-value",
      audience: API,
      scope: SCOPE,
      dpop: { privateKey: dpopKey },
    });
    const token = await client.getToken();
    assert.equal(token.tokenType, "DPoP");
    assert.equal(typeof (decodeJwt(token.accessToken).cnf as { jkt?: unknown }).jkt, "string");
    for (const f of frameworks) {
      const res = await client.fetch(`${f.url}/things?page=2`);
      assert.equal(res.status, 200, f.name);
      assert.deepEqual(await res.json(), { client_id: "secret-client", scopes: ["read:things", "write:things"], scheme: "DPoP" }, f.name);
    }
    // The same token stolen and sent as a Bearer token is refused.
    const stolen = await fetch(`${frameworks[0]!.url}/things`, { headers: { authorization: `Bearer ${token.accessToken}` } });
    assert.equal(stolen.status, 401);
  });
  it("its errors come back typed with their RFC 6749 codes", async () => {
    const wrong = createTokenClient({ issuer, clientId: "secret-client", clientSecret: "wrong-secret-value-0123456789", audience: API });
    await assert.rejects(wrong.getToken(), (e: unknown) => isTokenError(e) && e.code === "invalid_client" && e.status === 401);
    const elsewhere = createTokenClient({
      issuer,
      clientId: "secret-client",
      clientSecret: "a-long-enough-secret-value",
      audience: "https://unknown.example.com/",
    });
    await assert.rejects(elsewhere.getToken(), (e: unknown) => isTokenError(e) && e.code === "invalid_target");
  });
  it("a verifier for another API refuses its tokens", async () => {
    const client = createTokenClient({ issuer, clientId: "secret-client", clientSecret: "a-long-enough-secret-value", audience: API });
    await assert.rejects(createVerifier({ issuer, audience: "https://other.example.com/" }).verify((await client.getToken()).accessToken), {
      code: "invalid_token",
      description: "The access token is for another audience",
    });
  });
});
