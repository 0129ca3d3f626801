// users (never a password hash), keys (list, rotate), logs (filters, newest
// first, paginated) and stats/tokens, through the Management API.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { addMember } from "../helpers/members";
import { adminSession, call, mintToken, parseLinks, randomSlug, type Client, type Tenant } from "./support";

after(() => db.$disconnect());

describe("tenant-wide endpoints", () => {
  let tenant: Tenant;
  let client: Client;
  let token: string;
  before(async () => ({ tenant, client, token } = await adminSession("tenant")));

  it("users: members with id, name, email, role, created_at, and never a password hash", async () => {
    const email = `${randomSlug("ada")}@example.com`;
    const member = await addMember(tenant.id, { email, name: "Ada", role: "viewer", password: "a long enough password" });
    const list = await call(tenant, "GET", "/users", { token });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get("x-total-count"), "1");
    assert.deepEqual(list.body, [{ id: member.id, name: "Ada", email, role: "viewer", created_at: member.createdAt.toISOString() }]);
    const one = await call(tenant, "GET", `/users/${member.id}`, { token });
    assert.deepEqual(one.body, list.body[0]);
    assert.doesNotMatch(JSON.stringify([list.body, one.body]), /scrypt|password/i);
    const hash = (await db.user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash;
    assert.ok(!JSON.stringify(list.body).includes(hash));
    assert.equal((await call(tenant, "GET", "/users/someone-else", { token })).status, 404);
  });

  it("keys: public parts and states; rotate keeps old tokens working and audits", async () => {
    const before = await call(tenant, "GET", "/keys", { token });
    assert.equal(before.status, 200);
    assert.equal(before.body.length, 1);
    const [key] = before.body;
    assert.equal(key.state, "current");
    assert.deepEqual(Object.keys(key.public_jwk).sort(), ["alg", "e", "kid", "kty", "n", "use"]);

    const rotated = await call(tenant, "POST", "/keys/rotate", { token });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const states = Object.fromEntries(rotated.body.map((k: { kid: string; state: string }) => [k.kid, k.state]));
    assert.equal(states[key.kid], "previous");
    assert.equal(Object.values(states).filter((s) => s === "current").length, 1);
    assert.ok(rotated.body.find((k: { kid: string }) => k.kid === key.kid).retire_after);

    assert.equal((await call(tenant, "GET", "/keys", { token })).status, 200, "a token signed by the previous key still works");
    const fresh = await mintToken(tenant, client);
    assert.equal((await call(tenant, "GET", "/keys", { token: fresh })).status, 200, "a token signed by the new key works");

    const event = (await call(tenant, "GET", "/logs?action=keys.rotate", { token })).body[0];
    assert.deepEqual(event.before, { kids: [key.kid] });
    assert.equal(event.actor.id, client.clientId);
    assert.equal((await call(tenant, "POST", "/keys/rotate", { token, body: { algs: ["HS256"] } })).status, 422);
  });

  it("logs: newest first, filtered by actor, action and time, paginated", async () => {
    for (let i = 0; i < 3; i++) await call(tenant, "POST", "/applications", { token, body: { name: `Logged ${i}` } });
    const all = await call(tenant, "GET", `/logs?actor=${client.clientId}&action=application.create&per_page=2`, { token });
    assert.equal(all.status, 200);
    assert.equal(all.headers.get("x-total-count"), "3");
    assert.equal(all.body.length, 2);
    assert.ok(all.body[0].created_at >= all.body[1].created_at);
    assert.equal(all.body[0].after.name, "Logged 2");
    assert.equal(parseLinks(all.headers.get("link")).next?.page, 2);

    const future = await call(tenant, "GET", "/logs?from=2999-01-01", { token });
    assert.deepEqual(future.body, []);
    const today = new Date().toISOString().slice(0, 10);
    const upToToday = await call(tenant, "GET", `/logs?to=${today}&action=application.create&actor=${client.clientId}`, { token });
    assert.equal(upToToday.body.length, 3, "a bare date as `to` includes its day");
    assert.equal((await call(tenant, "GET", "/logs?from=2030-01-02&to=2030-01-01", { token })).status, 422);
    assert.equal((await call(tenant, "GET", "/logs?actor=someone-else", { token })).body.length, 0);
  });

  it("stats/tokens: counts per day, per application and per API", async () => {
    const day = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    await db.tokenUsage.createMany({
      data: [
        { tenantId: tenant.id, day, applicationId: client.id, apiId: tenant.managementApiId, outcome: "ok", count: 7 },
        { tenantId: tenant.id, day, applicationId: client.id, apiId: tenant.managementApiId, outcome: "invalid_scope", count: 2 },
        { tenantId: tenant.id, day, applicationId: "", apiId: "", outcome: "invalid_client", count: 1 },
      ],
    });
    const stats = await call(tenant, "GET", "/stats/tokens", { token });
    assert.equal(stats.status, 200, JSON.stringify(stats.body));
    assert.equal(stats.body.per_day.length, 30);
    assert.deepEqual(stats.body.per_day.at(-1), { day: day.toISOString().slice(0, 10), issued: 7, failed: 3 });
    assert.deepEqual([stats.body.issued, stats.body.failed], [7, 3]);
    assert.deepEqual(stats.body.per_application, [{ application_id: client.id, name: client.name, client_id: client.clientId, issued: 7, failed: 2 }]);
    assert.deepEqual(stats.body.per_api, [{ api_id: tenant.managementApiId, name: "Grantry Management API", identifier: tenant.issuer, issued: 7, failed: 2 }]);
    const range = await call(tenant, "GET", "/stats/tokens?from=2020-01-01&to=2020-01-03", { token });
    assert.deepEqual(
      range.body.per_day.map((d: { day: string }) => d.day),
      ["2020-01-01", "2020-01-02", "2020-01-03"],
    );
    assert.equal((await call(tenant, "GET", "/stats/tokens?from=2020-01-01&to=2022-01-01", { token })).status, 422);
    assert.equal((await call(tenant, "GET", "/stats/tokens?from=yesterday", { token })).status, 422);
  });
});
