// The reference resource server (examples/resource-server, on @grantry/verify's
// built package) accepts a Grantry token with the required scope, and refuses:
// no token, another audience, an expired token, a key not in the JWKS, another
// tenant's token (401), and a token without the scope (403 insufficient_scope).
// @see RFC 6750 §3, RFC 9068 §4
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SignJWT, generateKeyPair } from "jose";
import * as oauth from "oauth4webapi";
import { loadCurrentSigningKeys } from "@/lib/domain/keys";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { postJson, seedBody, serverUrl, startResourceServer } from "./support";
import { db } from "@/lib/db";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

let tenant: SeededTenant, api: SeededApi, otherApi: SeededApi, full: SeededApp, readOnly: SeededApp;
let server: { url: string; stop: () => void };

before(async () => {
  tenant = await seedTenant();
  api = await seedApi(tenant.id, { scopes: ["read:things", "write:things"] });
  otherApi = await seedApi(tenant.id);
  full = await seedApplication(tenant.id, "full");
  readOnly = await seedApplication(tenant.id, "read only");
  await seedGrant(tenant.id, full.id, api);
  await seedGrant(tenant.id, full.id, otherApi);
  await seedGrant(tenant.id, readOnly.id, api, ["read:things"]);
  server = await startResourceServer({ ISSUER: tenant.issuer, AUDIENCE: api.identifier, REQUIRED_SCOPE: "write:things" });
});
after(() => server?.stop());

async function token(app: SeededApp, audience = api.identifier, where = tenant): Promise<string> {
  const res = await postJson(where.tokenUrl, seedBody(app, audience));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.access_token as string;
}

async function call(bearer?: string) {
  const res = await fetch(`${server.url}/api`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  return { status: res.status, challenge: res.headers.get("www-authenticate") ?? "", body: (await res.json()) as Record<string, unknown> };
}

/** A token signed with the tenant's real current key (read from the database), with chosen times. */
async function forge(claims: { iat: number; exp: number }, key?: { kid: string; alg: string; privateKey: CryptoKey }) {
  const signer = key ?? (await loadCurrentSigningKeys(tenant.id)).find((k) => k.alg === "RS256")!;
  return new SignJWT({ client_id: full.clientId, scope: "read:things write:things" })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: "at+jwt" })
    .setIssuer(tenant.issuer)
    .setSubject(full.clientId)
    .setAudience(api.identifier)
    .setJti("forged")
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(signer.privateKey);
}

const now = () => Math.floor(Date.now() / 1000);
const assertInvalidToken = (res: Awaited<ReturnType<typeof call>>) => {
  assert.equal(res.status, 401);
  assert.match(res.challenge, /^Bearer .*error="invalid_token"/);
};

describe("reference resource server", () => {
  it("accepts a token for its audience with the required scope", async () => {
    const res = await call(await token(full));
    assert.equal(res.status, 200);
    assert.equal(res.body.client_id, full.clientId);
  });
  it("accepts a token a real OAuth client library (oauth4webapi) obtained after discovery", async () => {
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init) };
    const issuer = new URL(tenant.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    const client: oauth.Client = { client_id: full.clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(full.clientSecret), { audience: api.identifier }, options);
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    const res = await call(result.access_token);
    assert.equal(res.status, 200);
    assert.equal(res.body.client_id, full.clientId);
  });
  it("refuses a missing token with a bare challenge, no error code (RFC 6750 §3.1)", async () => {
    const res = await call();
    assert.equal(res.status, 401);
    assert.equal(res.challenge, "Bearer");
  });
  it("refuses a token for another audience", async () => assertInvalidToken(await call(await token(full, otherApi.identifier))));
  it("refuses an expired token (and accepts the same token unexpired: the key is right)", async () => {
    assert.equal((await call(await forge({ iat: now() - 60, exp: now() + 60 }))).status, 200);
    assertInvalidToken(await call(await forge({ iat: now() - 7200, exp: now() - 3600 })));
  });
  it("refuses a token signed by a key not in the JWKS, even under a published kid", async () => {
    const real = (await loadCurrentSigningKeys(tenant.id)).find((k) => k.alg === "RS256")!;
    const { privateKey } = await generateKeyPair("RS256");
    assertInvalidToken(await call(await forge({ iat: now(), exp: now() + 60 }, { kid: real.kid, alg: "RS256", privateKey })));
    assertInvalidToken(await call(await forge({ iat: now(), exp: now() + 60 }, { kid: "unknown-kid", alg: "RS256", privateKey })));
  });
  it("refuses another tenant's token for the same audience", async () => {
    const elsewhere = await seedTenant();
    const app = await seedApplication(elsewhere.id);
    await seedGrant(elsewhere.id, app.id, await seedApi(elsewhere.id, { identifier: api.identifier }));
    assertInvalidToken(await call(await token(app, api.identifier, elsewhere)));
  });
  it("answers 403 insufficient_scope without the required scope", async () => {
    const res = await call(await token(readOnly));
    assert.equal(res.status, 403);
    assert.match(res.challenge, /error="insufficient_scope"/);
    assert.equal(res.body.error, "insufficient_scope");
  });
});
