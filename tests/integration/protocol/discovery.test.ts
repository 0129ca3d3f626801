// A real OAuth client library (oauth4webapi) discovers each tenant's
// metadata, obtains a token with client_secret_basic and client_secret_post,
// and jose verifies it through the jwks_uri the metadata names.
// @see RFC 8414 §3 (both well-known placements), RFC 7517, RFC 9068 §4
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { defaultTenant, seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { request, serverUrl, untilServed } from "./support";
import { db } from "@/lib/db";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

// The test server speaks http; route every fetch the library makes to it.
const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init) };

type Setup = { tenant: SeededTenant; app: SeededApp; api: SeededApi };
const setups: Setup[] = [];

before(async () => {
  for (const tenant of [await defaultTenant(), await seedTenant()]) {
    const app = await seedApplication(tenant.id);
    const api = await seedApi(tenant.id, { scopes: ["read:reports", "write:reports"], signingAlg: "ES256" });
    await seedGrant(tenant.id, app.id, api);
    setups.push({ tenant, app, api });
    await untilServed(tenant, app, api.identifier);
  }
});

for (const which of ["default tenant (root)", "tenant under /t/{slug}"]) {
  describe(which, () => {
    const setup = () => setups[which.startsWith("default") ? 0 : 1]!;

    for (const algorithm of ["oidc", "oauth2"] as const) {
      it(`discovery (${algorithm}) then client credentials with Basic and with post`, async () => {
        const { tenant, app, api } = setup();
        const issuer = new URL(tenant.issuer);
        const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm }));
        assert.equal(as.issuer, tenant.issuer);
        assert.equal(as.token_endpoint, `${tenant.issuer}/oauth/token`);
        const client: oauth.Client = { client_id: app.clientId };
        for (const auth of [oauth.ClientSecretBasic(app.clientSecret), oauth.ClientSecretPost(app.clientSecret)]) {
          const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { audience: api.identifier, scope: "read:reports" }, options);
          const result = await oauth.processClientCredentialsResponse(as, client, response);
          assert.equal(result.token_type, "bearer");
          assert.equal(result.scope, "read:reports");

          const jwks = createRemoteJWKSet(new URL(serverUrl(as.jwks_uri!)));
          const { payload, protectedHeader } = await jwtVerify(result.access_token, jwks, { issuer: tenant.issuer, audience: api.identifier, typ: "at+jwt" });
          assert.equal(protectedHeader.alg, "ES256");
          assert.equal(payload.client_id, app.clientId);
        }
      });
    }

    it("metadata documents: RFC 8414 fields, cacheable, the same from every well-known placement", async () => {
      const { tenant } = setup();
      const issuerPath = new URL(tenant.issuer).pathname.replace(/\/$/, "");
      const origin = new URL(tenant.issuer).origin;
      const urls = [
        `${tenant.issuer}/.well-known/openid-configuration`,
        `${tenant.issuer}/.well-known/oauth-authorization-server`,
        `${origin}/.well-known/oauth-authorization-server${issuerPath}`,
      ];
      for (const url of urls) {
        const res = await request(url);
        assert.equal(res.status, 200, url);
        assert.equal(res.headers.get("cache-control"), "public, max-age=300");
        const m = res.body;
        assert.equal(m.issuer, tenant.issuer);
        assert.equal(m.token_endpoint, `${tenant.issuer}/oauth/token`);
        assert.equal(m.jwks_uri, `${tenant.issuer}/.well-known/jwks.json`);
        assert.equal(m.introspection_endpoint, `${tenant.issuer}/oauth/introspect`);
        assert.equal(m.revocation_endpoint, `${tenant.issuer}/oauth/revoke`);
        assert.deepEqual(m.grant_types_supported, ["client_credentials"]);
        for (const endpoint of ["token", "introspection", "revocation"]) {
          assert.deepEqual(m[`${endpoint}_endpoint_auth_methods_supported`], ["client_secret_basic", "client_secret_post", "private_key_jwt"]);
          assert.deepEqual(m[`${endpoint}_endpoint_auth_signing_alg_values_supported`], ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"]);
        }
        assert.ok(Array.isArray(m.response_types_supported));
        assert.ok((m.scopes_supported as string[]).includes("read:reports"));
        // Every algorithm the tenant signs with (this API signs with ES256), RS256 first: middleware that
        // reads this list as the allowed access-token algorithms must accept the ES256 tokens.
        if (url.endsWith("openid-configuration")) assert.deepEqual(m.id_token_signing_alg_values_supported, ["RS256", "ES256"]);
        else assert.equal("id_token_signing_alg_values_supported" in m, false);
      }
    });

    it("JWKS: public keys only, each with kid, alg and use", async () => {
      const { tenant } = setup();
      const res = await request(`${tenant.issuer}/.well-known/jwks.json`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "public, max-age=300");
      const keys = res.body.keys as Record<string, unknown>[];
      assert.ok(keys.some((k) => k.alg === "RS256") && keys.some((k) => k.alg === "ES256"));
      for (const key of keys) {
        assert.equal(key.use, "sig");
        assert.equal(typeof key.kid, "string");
        for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) assert.equal(key[secret], undefined);
      }
    });

    it("HEAD answers like GET without a body; POST is 405 with Allow", async () => {
      const { tenant } = setup();
      const head = await fetch(serverUrl(`${tenant.issuer}/.well-known/jwks.json`), { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), "");
      const post = await request(`${tenant.issuer}/.well-known/jwks.json`, { method: "POST" });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get("allow"), "GET, HEAD");
    });
  });
}

it("an unknown tenant is 404 on every endpoint", async () => {
  const base = `${process.env.GRANTRY_URL}/t/no-such-tenant-here`;
  for (const [path, method] of [
    ["/oauth/token", "POST"],
    ["/.well-known/jwks.json", "GET"],
    ["/.well-known/openid-configuration", "GET"],
  ] as const) {
    const res = await request(base + path, { method });
    assert.equal(res.status, 404);
    assert.equal(res.body.error, "not_found");
  }
});
