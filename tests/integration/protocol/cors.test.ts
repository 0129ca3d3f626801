// Every protocol endpoint is callable from a browser page of another origin
// (seed 002's jQuery sample posts JSON with crossDomain: true): the preflight
// is answered, and every answer carries Access-Control-Allow-Origin: *, never
// Allow-Credentials (no cookies are involved).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { seedM2M, type M2MSetup } from "../helpers/seed";
import { basicAuth, postForm, postJson, request, seedBody, serverUrl } from "./support";
import { db } from "@/lib/db";

after(() => db.$disconnect());

const ORIGIN = "http://page.example";
let setup: M2MSetup;
before(async () => {
  setup = await seedM2M();
});

function preflight(url: string, method: string) {
  return fetch(serverUrl(url), {
    method: "OPTIONS",
    headers: { origin: ORIGIN, "access-control-request-method": method, "access-control-request-headers": "content-type" },
  });
}

function assertReadable(headers: Headers) {
  assert.equal(headers.get("access-control-allow-origin"), "*");
  assert.equal(headers.get("access-control-allow-credentials"), null);
}

describe("CORS on the protocol endpoints", () => {
  it("answers the token endpoints' preflight with 204, POST, content-type and authorization, and a max-age", async () => {
    for (const path of ["/oauth/token", "/oauth/m2m/token", "/oauth/introspect", "/oauth/revoke"]) {
      const res = await preflight(setup.tenant.issuer + path, "POST");
      assert.equal(res.status, 204, path);
      assertReadable(res.headers);
      assert.equal(res.headers.get("access-control-allow-methods"), "POST");
      assert.equal(res.headers.get("access-control-allow-headers"), "content-type, authorization, dpop");
      assert.equal(res.headers.get("access-control-max-age"), "86400");
      assert.equal(await res.text(), "");
    }
  });
  it("answers the default tenant's preflight at the root too", async () => {
    const res = await preflight(`${process.env.GRANTRY_URL}/oauth/token`, "POST");
    assert.equal(res.status, 204);
    assertReadable(res.headers);
  });
  it("lets any origin read a token, an error, introspection, revocation, discovery and the JWKS", async () => {
    const { tenant, app, api } = setup;
    const token = await postJson(tenant.tokenUrl, seedBody(app, api.identifier), { origin: ORIGIN });
    assert.equal(token.status, 200);
    assertReadable(token.headers);
    const refused = await postJson(tenant.tokenUrl, { ...seedBody(app, api.identifier), client_secret: "grantry_wrong" }, { origin: ORIGIN });
    assert.equal(refused.status, 401);
    assertReadable(refused.headers);
    const auth = { authorization: basicAuth(app.clientId, app.clientSecret), origin: ORIGIN };
    const introspection = await postForm(`${tenant.issuer}/oauth/introspect`, { token: token.body.access_token as string }, auth);
    assert.equal(introspection.body.active, true);
    assertReadable(introspection.headers);
    const revocation = await request(`${tenant.issuer}/oauth/revoke`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: token.body.access_token as string }).toString(),
    });
    assert.equal(revocation.status, 200);
    assertReadable(revocation.headers);
    for (const path of ["/.well-known/jwks.json", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]) {
      const res = await request(tenant.issuer + path, { headers: { origin: ORIGIN } });
      assert.equal(res.status, 200, path);
      assertReadable(res.headers);
    }
  });
});
