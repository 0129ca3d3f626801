// Seed 000 (AuthAction's Management API guide), verbatim but for host and
// credentials: the curl token request at /oauth/m2m/token with audience = the
// tenant's URL, then `GET /api/v1/users` with the Bearer token — at the root
// for the default tenant and under /t/{slug} for another; and its
// Troubleshooting section's 401s.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { addMember } from "@/lib/domain/members";
import { deleteGrant, listGrants } from "@/lib/domain/grants";
import { call, defaultTenant, randomSlug, requestToken, seedClient, seedTenant, serverUrl, tokenEndpointMissing, untilServed, type Client, type Tenant } from "./support";

const exec = promisify(execFile);
const shell = async (command: string) => (await exec("bash", ["-c", command], { timeout: 20_000 })).stdout;

after(() => db.$disconnect());
const skip = await tokenEndpointMissing();

for (const which of ["default", "slug"] as const) {
  describe(`seed 000 against the ${which} tenant`, { skip }, () => {
    let tenant: Tenant;
    let client: Client;
    let email: string;

    before(async () => {
      tenant = which === "default" ? await defaultTenant() : await seedTenant("seed000");
      email = `${randomSlug("john")}@example.com`;
      await addMember(tenant.id, { email, name: "John Doe", role: "admin", password: "correct horse battery staple" }, SYSTEM_ACTOR);
      client = await seedClient(tenant, ["read:users", "read:applications"], "AuthAction guide");
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

    it("the Node snippet's request (axios's headers) gets a token that lists the users", async () => {
      const res = await fetch(serverUrl(`${tenant.issuer}/oauth/m2m/token`), {
        method: "POST",
        headers: { Accept: "application/json, text/plain, */*", "Content-Type": "application/json", "User-Agent": "axios/1.7.9" },
        body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, audience: `${tenant.issuer}`, grant_type: "client_credentials" }),
      });
      const { access_token } = (await res.json()) as { access_token: string };
      const users = await call(tenant, "GET", "/users", { token: access_token });
      assert.equal(users.status, 200);
      assert.ok(users.body.some((u: { email: string }) => u.email === email));
    });

    it("Troubleshooting: no token, or a token for another audience, is 401 invalid_token", async () => {
      const none = await call(tenant, "GET", "/users");
      assert.equal(none.status, 401);
      assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer .*error="invalid_token"/);
      assert.equal(none.body.error.code, "invalid_token");
    });
  });
}

describe("seed 000 Troubleshooting: an application without a Management API grant", { skip }, () => {
  it("gets no Management API token, and a token whose grant is then deleted stops working (401)", async () => {
    const tenant = await seedTenant("seed000-nogrant");
    // Seeded before the first token request: the token endpoint caches a tenant's configuration.
    const ungranted = await seedClient(tenant, null, "Not authorized");
    const granted = await seedClient(tenant, ["read:users"]);
    await assert.rejects(requestToken(tenant, ungranted), /token request failed: 40[13]/);

    const token = await requestToken(tenant, granted);
    assert.equal((await call(tenant, "GET", "/users", { token })).status, 200);
    const [grant] = await listGrants(tenant.id, { applicationId: granted.id });
    await deleteGrant(tenant.id, grant!.id, SYSTEM_ACTOR);
    const after = await call(tenant, "GET", "/users", { token });
    assert.equal(after.status, 401);
    assert.match(after.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
    assert.match(after.body.error.message, /grant/);
  });
});
