// The token endpoint's accepted variants: form and JSON bodies, Basic with
// form-encoded credentials, RFC 8707 `resource`, scope subsets, every signing
// algorithm; and secret rotation: several live secrets, revoked and expired ones.
// @see RFC 6749 §2.3.1, §3.3, §4.4; RFC 8707
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { db } from "@/lib/db";
import { sha256Hex } from "@/lib/crypto";
import { revokeSecret } from "@/lib/domain/secrets";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { managementApi, seedApi, seedApplication, seedGrant, seedSecret, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { assertOAuthError, assertTokenResponse, basicAuth, postForm, postJson, request, seedBody, serverUrl } from "./support";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

const SPECIAL_SECRET = `s3cr:t %+&=/?#é€ "'\\ ${Math.random().toString(36).slice(2)}`; // hashes are unique across the database
let tenant: SeededTenant, app: SeededApp, api: SeededApi;
type Secret = { id: string; value: string };
let second: Secret, revoked: Secret, expired: Secret, special: SeededApp;
const algApis: Record<string, SeededApi> = {};

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id);
  api = await seedApi(tenant.id, { scopes: ["read:a", "write:a", "admin:a"], tokenLifetime: 3600 });
  await seedGrant(tenant.id, app.id, api, ["read:a", "write:a"]);
  await seedGrant(tenant.id, app.id, await managementApi(tenant.id), ["read:users"]);
  for (const alg of ["ES256", "PS256", "EdDSA"] as const) {
    algApis[alg] = await seedApi(tenant.id, { signingAlg: alg });
    await seedGrant(tenant.id, app.id, algApis[alg]);
  }
  second = await seedSecret(tenant.id, app.id);
  revoked = await seedSecret(tenant.id, app.id);
  await revokeSecret(tenant.id, app.id, revoked.id, SYSTEM_ACTOR);
  expired = await seedSecret(tenant.id, app.id, new Date(Date.now() + 60_000));
  await db.clientSecret.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  // A secret Grantry would never generate, to prove Basic credentials are form-decoded (RFC 6749 §2.3.1).
  const row = await db.clientSecret.create({
    data: { tenantId: tenant.id, applicationId: app.id, hash: sha256Hex(SPECIAL_SECRET), lastFour: SPECIAL_SECRET.slice(-4) },
  });
  special = { ...app, clientSecret: SPECIAL_SECRET, secretId: row.id };
});

const expect = (scope = "read:a write:a") => ({ issuer: tenant.issuer, audience: api.identifier, clientId: app.clientId, scope, expiresIn: 3600 });

describe("request shapes", () => {
  it("a form body with client_secret_post", async () => {
    assertTokenResponse(await postForm(tenant.tokenUrl, seedBody(app, api.identifier)), expect());
  });
  it("a form body with client_secret_basic, and client_id repeated in the body", async () => {
    const auth = { authorization: basicAuth(app.clientId, app.clientSecret) };
    assertTokenResponse(await postForm(tenant.tokenUrl, { grant_type: "client_credentials", audience: api.identifier }, auth), expect());
    assertTokenResponse(
      await postForm(tenant.tokenUrl, { grant_type: "client_credentials", audience: api.identifier, client_id: app.clientId }, auth),
      expect(),
    );
  });
  it("Basic credentials sent without form-encoding (curl -u) still work for Grantry's own secrets", async () => {
    const raw = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`;
    assertTokenResponse(await postForm(tenant.tokenUrl, { grant_type: "client_credentials", audience: api.identifier }, { authorization: raw }), expect());
  });
  it("Basic with URL-encoded special characters in the secret", async () => {
    const res = await postForm(
      tenant.tokenUrl,
      { grant_type: "client_credentials", audience: api.identifier },
      { authorization: basicAuth(special.clientId, SPECIAL_SECRET) },
    );
    assertTokenResponse(res, expect());
    assertTokenResponse(await postJson(tenant.tokenUrl, seedBody(special, api.identifier)), expect());
  });
  it("RFC 8707 resource instead of audience, and both when they agree", async () => {
    const rest = { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret };
    assertTokenResponse(await postForm(tenant.tokenUrl, { ...rest, resource: api.identifier }), expect());
    assertTokenResponse(await postJson(tenant.tokenUrl, { ...rest, resource: api.identifier, audience: api.identifier }), expect());
  });
  it("a JSON content type with a charset, and unknown parameters ignored", async () => {
    const res = await request(tenant.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/json; charset=UTF-8" },
      body: JSON.stringify({ ...seedBody(app, api.identifier), extra: { a: 1 } }),
    });
    assertTokenResponse(res, expect());
  });
  it("scope: a granted subset, repeated names, or none (all granted scopes)", async () => {
    assertTokenResponse(await postJson(tenant.tokenUrl, { ...seedBody(app, api.identifier), scope: "write:a" }), expect("write:a"));
    assertTokenResponse(await postJson(tenant.tokenUrl, { ...seedBody(app, api.identifier), scope: "write:a read:a write:a" }), expect("write:a read:a"));
    assertTokenResponse(await postJson(tenant.tokenUrl, { ...seedBody(app, api.identifier), scope: "" }), expect());
    assertOAuthError(await postJson(tenant.tokenUrl, { ...seedBody(app, api.identifier), scope: "admin:a" }), 400, "invalid_scope");
  });
  it("the Management API by the tenant's URL, with or without a trailing slash", async () => {
    for (const audience of [tenant.issuer, `${tenant.issuer}/`]) {
      assertTokenResponse(await postJson(tenant.tokenUrl, seedBody(app, audience)), {
        issuer: tenant.issuer,
        audience: tenant.issuer,
        clientId: app.clientId,
        scope: "read:users",
      });
    }
    assertOAuthError(await postJson(tenant.tokenUrl, seedBody(app, "urn:grantry:management-api")), 400, "invalid_target");
  });
});

describe("signing algorithms", () => {
  for (const alg of ["ES256", "PS256", "EdDSA"]) {
    it(`an API signing with ${alg} gets ${alg} tokens that verify through the JWKS`, async () => {
      const target = algApis[alg]!;
      const { token, header } = assertTokenResponse(await postJson(tenant.tokenUrl, seedBody(app, target.identifier)), {
        issuer: tenant.issuer,
        audience: target.identifier,
        clientId: app.clientId,
      });
      assert.equal(header.alg, alg);
      const jwks = createRemoteJWKSet(new URL(serverUrl(`${tenant.issuer}/.well-known/jwks.json`)));
      await jwtVerify(token, jwks, { issuer: tenant.issuer, audience: target.identifier, typ: "at+jwt", algorithms: [alg] });
    });
  }
});

describe("client secrets", () => {
  it("every live secret works: the first and a second one", async () => {
    assertTokenResponse(await postJson(tenant.tokenUrl, seedBody(app, api.identifier)), expect());
    assertTokenResponse(await postJson(tenant.tokenUrl, seedBody({ ...app, clientSecret: second.value }, api.identifier)), expect());
  });
  it("a revoked secret does not authenticate", async () => {
    assertOAuthError(
      await postJson(tenant.tokenUrl, seedBody({ ...app, clientSecret: revoked.value }, api.identifier)),
      401,
      "invalid_client",
      "Client authentication failed",
    );
  });
  it("an expired secret does not authenticate", async () => {
    assertOAuthError(
      await postJson(tenant.tokenUrl, seedBody({ ...app, clientSecret: expired.value }, api.identifier)),
      401,
      "invalid_client",
      "Client authentication failed",
    );
  });
  it("usage and last-used times are written in batches, not per request", async () => {
    // Flushed every GRANTRY_USAGE_FLUSH_MS: poll until the counts of the requests above have landed.
    const deadline = Date.now() + Number(process.env.GRANTRY_USAGE_FLUSH_MS ?? 5000) + 10_000;
    const landed = async () => {
      const usage = await db.tokenUsage.findMany({ where: { tenantId: tenant.id }, select: { outcome: true, count: true } });
      const secret = await db.clientSecret.findUnique({ where: { id: app.secretId }, select: { lastUsedAt: true } });
      // One row per (day, application, API, outcome): sum them.
      const ok = usage.filter((u) => u.outcome === "ok").reduce((sum, u) => sum + u.count, 0);
      return { lastUsed: secret?.lastUsedAt ?? null, ok, failures: usage.some((u) => u.outcome === "invalid_client") };
    };
    let state = await landed();
    while (!(state.lastUsed && state.ok >= 5 && state.failures) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      state = await landed();
    }
    assert.ok(state.lastUsed, "lastUsedAt was recorded");
    assert.ok(state.ok >= 5, `ok count ${state.ok}`);
    assert.ok(state.failures, "invalid_client was counted");
  });
});
