// private_key_jwt (RFC 7523 §2.2) through real client libraries — oauth4webapi,
// openid-client and @grantry/client — and every assertion an attacker could
// try, each answered with its RFC 6749 §5.2 body and no token.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SignJWT, base64url, createRemoteJWKSet, decodeJwt, exportJWK, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import * as openid from "openid-client";
import { createTokenClient } from "@grantry/client";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { updateApplication } from "@/lib/domain/applications";
import { createClientKey, revokeClientKey } from "@/lib/domain/client-keys";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { assertOAuthError, assertTokenResponse, basicAuth, postForm, serverUrl } from "./support";

after(() => db.$disconnect());

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init) };

let tenant: SeededTenant, app: SeededApp, other: SeededApp, api: SeededApi;
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const othersKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const revokedKey = generateKeyPairSync("ec", { namedCurve: "P-256" });

const pem = (key: KeyObject) => key.export({ type: "spki", format: "pem" }) as string;

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id, "Signs assertions");
  other = await seedApplication(tenant.id, "Another application");
  api = await seedApi(tenant.id, { scopes: ["read:a", "write:a"] });
  await seedGrant(tenant.id, app.id, api, ["read:a"]);
  await seedGrant(tenant.id, other.id, api, ["read:a"]);
  // A JWK with a kid, a PEM public key, and a JWK Set: each way a key is pasted.
  await createClientKey(tenant.id, app.id, { name: "ec", public_key: { ...(await exportJWK(ec.publicKey)), kid: "ec-1" } }, SYSTEM_ACTOR);
  await createClientKey(tenant.id, app.id, { name: "ed", public_key: pem(ed.publicKey) }, SYSTEM_ACTOR);
  await createClientKey(
    tenant.id,
    app.id,
    { name: "rsa", public_key: JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: "rsa-1" }] }) },
    SYSTEM_ACTOR,
  );
  await createClientKey(tenant.id, other.id, { name: "other", public_key: { ...(await exportJWK(othersKey.publicKey)), kid: "other-1" } }, SYSTEM_ACTOR);
  const gone = await createClientKey(
    tenant.id,
    app.id,
    { name: "revoked", public_key: { ...(await exportJWK(revokedKey.publicKey)), kid: "gone-1" } },
    SYSTEM_ACTOR,
  );
  await revokeClientKey(tenant.id, app.id, gone.id, SYSTEM_ACTOR);
});

type Claims = Record<string, unknown>;
async function assertion(key: KeyObject, alg: string, claims: Claims = {}, header: Record<string, unknown> = {}, clientId = app.clientId): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: clientId, sub: clientId, aud: tenant.issuer, jti: randomUUID(), iat: now, exp: now + 60, ...claims };
  return new SignJWT(body).setProtectedHeader({ alg, ...header }).sign(key);
}
const tokenRequest = (client_assertion: string, extra: Record<string, string> = {}) =>
  postForm(tenant.tokenUrl, { grant_type: "client_credentials", audience: api.identifier, client_assertion_type: JWT_BEARER, client_assertion, ...extra });
const expected = () => ({ issuer: tenant.issuer, audience: api.identifier, clientId: app.clientId, scope: "read:a" });

describe("private_key_jwt through client libraries", () => {
  it("oauth4webapi discovers the method and gets a token with an ES256 assertion", async () => {
    const as = await oauth.processDiscoveryResponse(new URL(tenant.issuer), await oauth.discoveryRequest(new URL(tenant.issuer), options));
    assert.ok(as.token_endpoint_auth_methods_supported?.includes("private_key_jwt"));
    assert.ok(as.token_endpoint_auth_signing_alg_values_supported?.includes("ES256"));
    const privateKey = await crypto.subtle.importKey(
      "pkcs8",
      ec.privateKey.export({ type: "pkcs8", format: "der" }),
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    );
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: app.clientId },
      oauth.PrivateKeyJwt({ key: privateKey, kid: "ec-1" }),
      new URLSearchParams({ audience: api.identifier }),
      options,
    );
    const result = await oauth.processClientCredentialsResponse(as, { client_id: app.clientId }, response);
    const { payload } = await jwtVerify(result.access_token, createRemoteJWKSet(new URL(serverUrl(`${tenant.issuer}/.well-known/jwks.json`))), {
      issuer: tenant.issuer,
      audience: api.identifier,
    });
    assert.equal(payload.client_id, app.clientId);
  });

  it("openid-client gets a token with an Ed25519 key pasted as PEM", async () => {
    const privateKey = await crypto.subtle.importKey("pkcs8", ed.privateKey.export({ type: "pkcs8", format: "der" }), { name: "Ed25519" }, false, ["sign"]);
    const config = await openid.discovery(new URL(tenant.issuer), app.clientId, {}, openid.PrivateKeyJwt(privateKey), {
      execute: [openid.allowInsecureRequests],
      [openid.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init),
    } as Parameters<typeof openid.discovery>[4]);
    const tokens = await openid.clientCredentialsGrant(config, { audience: api.identifier });
    assert.equal(tokens.token_type.toLowerCase(), "bearer");
    assert.equal(tokens.scope, "read:a");
  });

  it("@grantry/client signs RS256 assertions with a PEM private key, one per request", async () => {
    const client = createTokenClient({
      tokenUrl: serverUrl(tenant.tokenUrl),
      clientId: app.clientId,
      privateKey: rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
      privateKeyAlg: "RS256",
      keyId: "rsa-1",
      audience: api.identifier,
    });
    const { accessToken } = await client.getToken();
    assert.equal(decodeJwt(accessToken).client_id, app.clientId);
  });

  it("introspection authenticates the caller with an assertion too", async () => {
    const token = (await tokenRequest(await assertion(ec.privateKey, "ES256"))).body.access_token as string;
    const res = await postForm(`${tenant.issuer}/oauth/introspect`, {
      token,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(ec.privateKey, "ES256", { aud: `${tenant.issuer}/oauth/token` }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.active, true);
  });
});

describe("private_key_jwt: what is refused, and why", () => {
  it("a replayed assertion: the first gets a token, the second invalid_client", async () => {
    const signed = await assertion(ec.privateKey, "ES256");
    assertTokenResponse(await tokenRequest(signed), expected());
    assertOAuthError(await tokenRequest(signed), 401, "invalid_client", /"jti" was already used/);
  });

  it("writes each refusal's reason code to the token log", async () => {
    // Rows from this test's requests only (the replay test above writes a "replayed" row too).
    const since = new Date();
    const signed = await assertion(ec.privateKey, "ES256");
    await tokenRequest(signed);
    await tokenRequest(signed);
    await tokenRequest(await assertion(othersKey.privateKey, "ES256"));
    await tokenRequest(await assertion(ec.privateKey, "ES256", { aud: `https://elsewhere.example/${randomUUID()}` }));
    const wanted = ["audience_mismatch", "bad_signature", "replayed"];
    let reasons: string[] = [];
    // The token log is written in batches: poll past one flush.
    for (let i = 0; i < 50 && reasons.join() !== wanted.join(); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      const rows = await db.tokenLog.findMany({ where: { tenantId: tenant.id, applicationId: app.id, outcome: "invalid_client", lastAt: { gte: since } } });
      reasons = [...new Set(rows.map((r) => r.reason))].filter((r) => wanted.includes(r)).sort();
    }
    assert.deepEqual(reasons, wanted);
  });

  it("expired, not yet valid, too long-lived, or for another audience", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Claims, RegExp]> = [
      [{ exp: now - 120, iat: now - 180 }, /expired/],
      [{ iat: now + 600, exp: now + 660 }, /"iat" is in the future/],
      [{ nbf: now + 600 }, /not valid yet/],
      [{ exp: now + 86_400 }, /more than 300 seconds ahead/],
      [{ aud: `${tenant.issuer}/oauth/introspect-not` }, /"aud" must be/],
      [{ aud: "https://another-server.example" }, /"aud" must be/],
    ];
    for (const [claims, reason] of cases) assertOAuthError(await tokenRequest(await assertion(ec.privateKey, "ES256", claims)), 401, "invalid_client", reason);
  });

  it("alg none, and HS256 signed with the application's public key as the HMAC secret", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = base64url.encode(JSON.stringify({ iss: app.clientId, sub: app.clientId, aud: tenant.issuer, jti: randomUUID(), exp: now + 60 }));
    assertOAuthError(await tokenRequest(`${base64url.encode('{"alg":"none"}')}.${claims}.`), 401, "invalid_client", /"alg" "none" is not accepted/);
    const hs = await new SignJWT({ iss: app.clientId, sub: app.clientId, aud: tenant.issuer, jti: randomUUID(), exp: now + 60 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(pem(ec.publicKey)));
    assertOAuthError(await tokenRequest(hs), 401, "invalid_client", /"alg" "HS256" is not accepted/);
  });

  it("a key of another application, an unknown kid, a revoked key set", async () => {
    assertOAuthError(await tokenRequest(await assertion(othersKey.privateKey, "ES256")), 401, "invalid_client", /signature does not verify/);
    assertOAuthError(
      await tokenRequest(await assertion(othersKey.privateKey, "ES256", {}, { kid: "other-1" })),
      401,
      "invalid_client",
      /has the kid "other-1"/,
    );
    assertOAuthError(
      await tokenRequest(await assertion(ec.privateKey, "ES256", {}, { kid: "no-such-kid" })),
      401,
      "invalid_client",
      /has the kid "no-such-kid"/,
    );
    assertOAuthError(await tokenRequest(await assertion(revokedKey.privateKey, "ES256", {}, { kid: "gone-1" })), 401, "invalid_client", /has the kid "gone-1"/);
    // Another application's own valid assertion gets its own token, not this one's.
    const theirs = await tokenRequest(await assertion(othersKey.privateKey, "ES256", {}, {}, other.clientId));
    assert.equal(theirs.status, 200);
  });

  it("an oversized assertion, garbage, a mismatched client_id, two methods at once, a wrong assertion type", async () => {
    assertOAuthError(await tokenRequest("a".repeat(9000)), 401, "invalid_client", /longer than 8192/);
    assertOAuthError(await tokenRequest("not.a.jwt"), 401, "invalid_client", /not a signed JWT/);
    assertOAuthError(await tokenRequest(await assertion(ec.privateKey, "ES256"), { client_id: other.clientId }), 400, "invalid_request", /does not match/);
    assertOAuthError(
      await tokenRequest(await assertion(ec.privateKey, "ES256"), { client_secret: app.clientSecret }),
      400,
      "invalid_request",
      /one client authentication method/,
    );
    assertOAuthError(
      await postForm(
        tenant.tokenUrl,
        {
          grant_type: "client_credentials",
          audience: api.identifier,
          client_assertion_type: JWT_BEARER,
          client_assertion: await assertion(ec.privateKey, "ES256"),
        },
        { authorization: basicAuth(app.clientId, app.clientSecret) },
      ),
      400,
      "invalid_request",
    );
    assertOAuthError(
      await postForm(tenant.tokenUrl, {
        grant_type: "client_credentials",
        client_assertion_type: "urn:x",
        client_assertion: await assertion(ec.privateKey, "ES256"),
      }),
      401,
      "invalid_client",
      /client_assertion_type must be/,
    );
  });

  it("an application set to accept only assertions refuses its own secret, and still takes assertions", async () => {
    const strict = await seedApplication(tenant.id, "Assertions only");
    await seedGrant(tenant.id, strict.id, api, ["read:a"]);
    await createClientKey(tenant.id, strict.id, { name: "ec", public_key: pem(ec.publicKey) }, SYSTEM_ACTOR);
    await updateApplication(tenant.id, strict.id, { assertions_only: true }, SYSTEM_ACTOR);
    // The server may hold the tenant's configuration from before this application existed: an unknown
    // client makes it reload, so ask until the new application is known.
    for (let i = 0; i < 50 && (await tokenRequest(await assertion(ec.privateKey, "ES256", {}, {}, strict.clientId))).status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const bySecret = await postForm(tenant.tokenUrl, {
      grant_type: "client_credentials",
      audience: api.identifier,
      client_id: strict.clientId,
      client_secret: strict.clientSecret,
    });
    assertOAuthError(bySecret, 401, "invalid_client", /accepts only client assertions/);
    assert.equal((await tokenRequest(await assertion(ec.privateKey, "ES256", {}, {}, strict.clientId))).status, 200);
  });

  it("records the key set's last use", async () => {
    const before = Date.now() - 1000;
    assertTokenResponse(await tokenRequest(await assertion(ec.privateKey, "ES256", {}, { kid: "ec-1" })), expected());
    for (let i = 0; i < 100; i++) {
      const row = await db.clientKey.findFirst({ where: { applicationId: app.id, name: "ec" }, select: { lastUsedAt: true } });
      if (row?.lastUsedAt && row.lastUsedAt.getTime() >= before) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail("lastUsedAt was not recorded");
  });
});
