// Seed 000 (AuthAction's Management API guide), verbatim but for host and
// credentials: the curl token request at /oauth/m2m/token with audience = the
// tenant's URL, then `GET /api/v1/users` with the Bearer token — at the root
// for the default tenant and under /t/{slug} for another; its Node snippet
// run as written with axios; and its Troubleshooting section: no grant is a
// 403 access_denied at the token endpoint, no token or another audience's
// token an exact 401 invalid_token.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { addMember } from "../helpers/members";
import { createApi } from "@/lib/domain/apis";
import { deleteGrant, listGrants, setGrant } from "@/lib/domain/grants";
import { runAxiosSnippet } from "../helpers/axios-snippet";
import { call, defaultTenant, randomSlug, requestToken, seedClient, seedTenant, serverUrl, untilServed, type Client, type Reply, type Tenant } from "./support";

const exec = promisify(execFile);
const shell = async (command: string) => (await exec("bash", ["-c", command], { timeout: 20_000 })).stdout;

after(() => db.$disconnect());

/** RFC 6750 §3.1: exactly 401, a Bearer challenge naming invalid_token, and the API's error body. */
function assertInvalidToken(res: Reply): void {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer .*error="invalid_token"/);
  assert.equal(res.body.error.code, "invalid_token");
}

/** A token for `audience`, once the token endpoint's cache has seen the grant (the default tenant is shared). */
async function untilToken(tenant: Tenant, client: Client, audience: string): Promise<string> {
  const deadline = Date.now() + Number(process.env.GRANTRY_CACHE_TTL_MS ?? 5000) + 5000;
  for (;;) {
    const res = await fetch(serverUrl(`${tenant.issuer}/oauth/m2m/token`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, audience, grant_type: "client_credentials" }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (res.status === 200 && body.access_token) return body.access_token;
    if (Date.now() > deadline) throw new Error(`token for ${audience}: ${res.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

for (const which of ["default", "slug"] as const) {
  describe(`seed 000 against the ${which} tenant`, () => {
    let tenant: Tenant;
    let client: Client;
    let email: string;
    let otherApi: string;

    before(async () => {
      tenant = which === "default" ? await defaultTenant() : await seedTenant("seed000");
      email = `${randomSlug("john")}@example.com`;
      await addMember(tenant.id, { email, name: "John Doe", role: "admin", password: "correct horse battery staple" });
      client = await seedClient(tenant, ["read:users", "read:applications"], "AuthAction guide");
      otherApi = `https://${randomSlug("orders")}.example.com`;
      const orders = await createApi(tenant.id, { name: "Orders", identifier: otherApi, scopes: [{ name: "read:orders" }] }, SYSTEM_ACTOR);
      await setGrant(tenant.id, { application_id: client.id, api_id: orders.id, scopes: ["read:orders"] }, SYSTEM_ACTOR);
      await untilServed(tenant, client);
    });

    it("curl: token from /oauth/m2m/token, then GET /api/v1/users answers a JSON array of members", async () => {
      const tokenJson = await shell(`curl --silent --request POST \\
--url ${serverUrl(`${tenant.issuer}/oauth/m2m/token`)} \\
--header 'content-type: application/json' \\
--data '{
"client_id": "${client.clientId}",
"client_secret": "${client.clientSecret}",
"audience": "${tenant.issuer}",
"grant_type": "client_credentials"
}'`);
      const token = JSON.parse(tokenJson) as { access_token: string; token_type: string; expires_in: number };
      assert.equal(token.token_type, "Bearer");
      assert.equal(typeof token.expires_in, "number");

      const usersJson = await shell(`curl --silent --request GET \\
--url ${serverUrl(`${tenant.issuer}/api/v1/users`)} \\
--header 'Authorization: Bearer ${token.access_token}'`);
      const users = JSON.parse(usersJson) as Array<Record<string, unknown>>;
      assert.ok(Array.isArray(users), usersJson);
      const john = users.find((u) => u.email === email);
      assert.ok(john, "the new member is listed");
      assert.equal(john.name, "John Doe");
      assert.equal(typeof john.id, "string");
      assert.deepEqual(Object.keys(john).sort(), ["created_at", "email", "id", "name", "role"]);
      assert.doesNotMatch(usersJson, /scrypt|password/i);
    });

    it("the Node snippet, run as written with axios in a child node process, gets a token that lists the users", async () => {
      const token = await runAxiosSnippet(serverUrl(`${tenant.issuer}/oauth/m2m/token`), tenant.issuer, client.clientId, client.clientSecret);
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, "a JWT");
      const users = await call(tenant, "GET", "/users", { token });
      assert.equal(users.status, 200);
      assert.ok(users.body.some((u: { email: string }) => u.email === email));
    });

    it("Troubleshooting: no token, or a token for another audience, is exactly 401 invalid_token", async () => {
      const none = await call(tenant, "GET", "/users");
      assertInvalidToken(none);
      assert.match(none.body.error.message, /token/i);

      // A real token of this tenant and this client, for the tenant's other API: "check the audience".
      const otherAudience = await untilToken(tenant, client, otherApi);
      const wrong = await call(tenant, "GET", "/users", { token: otherAudience });
      assertInvalidToken(wrong);
      assert.match(wrong.body.error.message, /audience/i);
    });
  });
}

describe("seed 000 Troubleshooting: an application without a Management API grant", () => {
  it("gets no Management API token, and a token whose grant is then deleted stops working (401)", async () => {
    const tenant = await seedTenant("seed000-nogrant");
    // Seeded before the first token request: the token endpoint caches a tenant's configuration.
    const ungranted = await seedClient(tenant, null, "Not authorized");
    const granted = await seedClient(tenant, ["read:users"]);
    const refused = await fetch(serverUrl(`${tenant.issuer}/oauth/m2m/token`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: ungranted.clientId, client_secret: ungranted.clientSecret, audience: tenant.issuer, grant_type: "client_credentials" }),
    });
    assert.equal(refused.status, 403);
    const body = (await refused.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ["error", "error_description"], "no access_token");
    assert.equal(body.error, "access_denied");
    assert.match(body.error_description!, /"Grantry Management API".*grant/);

    const token = await requestToken(tenant, granted);
    assert.equal((await call(tenant, "GET", "/users", { token })).status, 200);
    const [grant] = await listGrants(tenant.id, { applicationId: granted.id });
    await deleteGrant(tenant.id, grant!.id, SYSTEM_ACTOR);
    const after = await call(tenant, "GET", "/users", { token });
    assertInvalidToken(after);
    assert.match(after.body.error.message, /grant/);
  });
});
