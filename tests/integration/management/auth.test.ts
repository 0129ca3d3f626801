// Bearer authorization: every 401 of RFC 6750 §3.1 with its challenge, the
// kill switch (disabled app, deleted or expired grant, revoked jti), and the
// 403 insufficient_scope of each endpoint in the route table.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { updateApplication } from "@/lib/domain/applications";
import { listGrants, setGrant } from "@/lib/domain/grants";
import { routes } from "@/lib/management/routes";
import { ALL_SCOPES, adminSession, call, mintToken, seedClient, seedTenant, type Client, type Reply, type Tenant } from "./support";

after(() => db.$disconnect());

function assertInvalidToken(res: Reply, why: RegExp) {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  const header = res.headers.get("www-authenticate") ?? "";
  assert.match(header, /^Bearer realm="[^"]+\/api\/v1", error="invalid_token", error_description="[^"]+"$/);
  assert.equal(res.body.error.code, "invalid_token");
  assert.match(res.body.error.message, why);
  assert.equal(res.headers.get("set-cookie"), null);
}

describe("401 invalid_token", () => {
  let tenant: Tenant;
  let client: Client;
  before(async () => ({ tenant, client } = await adminSession("auth")));

  it("missing or malformed Authorization header", async () => {
    assertInvalidToken(await call(tenant, "GET", "/users"), /access token is required/);
    for (const authorization of ["Basic Zm9vOmJhcg==", "Bearer", "Bearer not a token", "Bearer abc.def"]) {
      assertInvalidToken(await call(tenant, "GET", "/users", { headers: { authorization } }), /Authorization header|malformed/);
    }
  });

  it("bad signature, wrong issuer, wrong audience, expired, wrong typ", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, Parameters<typeof mintToken>[2], RegExp]> = [
      ["bad signature", { foreignKey: true }, /signature/],
      ["wrong issuer", { iss: "https://evil.example.com" }, /issuer/],
      ["wrong audience", { aud: "https://api.example.com/" }, /audience/],
      ["expired", { iat: now - 7200, exp: now - 3600 }, /expired/],
      ["wrong typ", { typ: "JWT" }, /typ|access token/],
    ];
    for (const [, options, why] of cases) assertInvalidToken(await call(tenant, "GET", "/users", { token: await mintToken(tenant, client, options) }), why);
  });

  it("a token of tenant A is refused at tenant B's URLs", async () => {
    const other = await seedTenant("auth-b");
    const token = await mintToken(tenant, client);
    assertInvalidToken(await call(other, "GET", "/users", { token }), /issuer|signature/);
    assertInvalidToken(await call(other, "GET", "/applications", { token }), /issuer|signature/);
  });

  it("kill switch: a disabled application, an expired or deleted grant, a revoked jti", async () => {
    const victim = await seedClient(tenant, ["read:users"]);
    const token = await mintToken(tenant, victim);
    assert.equal((await call(tenant, "GET", "/users", { token })).status, 200);

    await updateApplication(tenant.id, victim.id, { enabled: false }, SYSTEM_ACTOR);
    assertInvalidToken(await call(tenant, "GET", "/users", { token }), /disabled|grant/);
    await updateApplication(tenant.id, victim.id, { enabled: true }, SYSTEM_ACTOR);
    assert.equal((await call(tenant, "GET", "/users", { token })).status, 200);

    const grant = (await listGrants(tenant.id, { applicationId: victim.id }))[0]!;
    await db.grant.update({ where: { id: grant.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assertInvalidToken(await call(tenant, "GET", "/users", { token }), /grant/);
    await db.grant.update({ where: { id: grant.id }, data: { expiresAt: null } });

    const jti = "revoked-" + Date.now();
    const revoked = await mintToken(tenant, victim, { jti });
    await db.revokedToken.create({ data: { jti, tenantId: tenant.id, expiresAt: new Date(Date.now() + 3600_000) } });
    assertInvalidToken(await call(tenant, "GET", "/users", { token: revoked }), /revoked/);

    await db.application.delete({ where: { id: victim.id } });
    assertInvalidToken(await call(tenant, "GET", "/users", { token }), /no longer exists/);
  });
});

describe("403 insufficient_scope: the scope matrix", () => {
  let tenant: Tenant;
  let client: Client;
  before(async () => ({ tenant, client } = await adminSession("scopes")));

  const samplePath = (path: string) => path.replace(/\{(\w+)\}/g, "sample1");

  for (const route of routes.filter((r) => r.scope)) {
    it(`${route.method} ${route.path} needs ${route.scope}`, async () => {
      const without = await mintToken(tenant, client, { scope: ALL_SCOPES.filter((s) => s !== route.scope).join(" ") });
      const denied = await call(tenant, route.method, samplePath(route.path), { token: without, body: route.body ? {} : undefined });
      assert.equal(denied.status, 403, JSON.stringify(denied.body));
      assert.equal(
        denied.headers.get("www-authenticate"),
        `Bearer realm="${tenant.issuer}/api/v1", error="insufficient_scope", error_description="Needs the scope ${route.scope}", scope="${route.scope}"`,
      );
      assert.equal(denied.body.error.code, "insufficient_scope");
      assert.equal(denied.body.error.details.scope, route.scope);
      assert.match(denied.body.error.message, new RegExp(route.scope!));

      const withOnly = await mintToken(tenant, client, { scope: route.scope! });
      const allowed = await call(tenant, route.method, samplePath(route.path), { token: withOnly, body: route.body ? {} : undefined });
      assert.ok(![401, 403].includes(allowed.status), `${allowed.status} ${JSON.stringify(allowed.body)}`);
    });
  }

  it("a scope the token claims but the grant no longer holds is refused at once", async () => {
    const limited = await seedClient(tenant, ["read:users", "read:keys"]);
    const token = await mintToken(tenant, limited, { scope: "read:users read:keys" });
    assert.equal((await call(tenant, "GET", "/keys", { token })).status, 200);
    const grant = (await listGrants(tenant.id, { applicationId: limited.id }))[0]!;
    await setGrant(tenant.id, { application_id: limited.id, api_id: grant.apiId, scopes: ["read:users"] }, SYSTEM_ACTOR);
    assert.equal((await call(tenant, "GET", "/keys", { token })).status, 403);
    assert.equal((await call(tenant, "GET", "/users", { token })).status, 200);
  });
});
