// applications and their secrets and grants, through the Management API,
// with pagination headers and the audit trail's before/after values.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { sha256Hex } from "@/lib/crypto";
import { adminSession, call, parseLinks, type Client, type Tenant } from "./support";

after(() => db.$disconnect());

describe("applications", () => {
  let tenant: Tenant;
  let client: Client;
  let token: string;
  before(async () => ({ tenant, client, token } = await adminSession("apps")));

  it("create returns the first secret once; get, update (incl. enabled and quotas), delete", async () => {
    const created = await call(tenant, "POST", "/applications", { token, body: { name: "Billing", description: "Nightly invoices" } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const app = created.body;
    assert.match(app.client_id, /^[A-Za-z0-9]{32}$/);
    assert.match(app.client_secret, /^grantry_[A-Za-z0-9_-]{43}$/);
    assert.equal(app.secret.last_four, app.client_secret.slice(-4));
    assert.deepEqual(Object.keys(app).sort(), [
      "assertions_only",
      "client_id",
      "client_secret",
      "created_at",
      "description",
      "dpop_required",
      "enabled",
      "id",
      "key",
      "name",
      "quota_mode",
      "quota_per_day",
      "quota_per_hour",
      "secret",
      "updated_at",
    ]);
    // The key grants as code names it by: derived from the name, then the first free one; a chosen one that is taken is a 409.
    assert.match(app.key, /^billing(-\d+)?$/);
    const second = await call(tenant, "POST", "/applications", { token, body: { name: "Billing" } });
    assert.notEqual(second.body.key, app.key);
    const taken = await call(tenant, "POST", "/applications", { token, body: { name: "Other", key: app.key } });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.details.key, "Already used by another application");
    const rekeyed = await call(tenant, "PATCH", `/applications/${second.body.id}`, { token, body: { key: app.key } });
    assert.equal(rekeyed.status, 409);
    assert.equal((await call(tenant, "PATCH", `/applications/${second.body.id}`, { token, body: { key: "billing-two" } })).body.key, "billing-two");
    assert.equal((await call(tenant, "PATCH", `/applications/${second.body.id}`, { token, body: { key: "Not A Key" } })).status, 422);
    const stored = await db.clientSecret.findFirstOrThrow({ where: { applicationId: app.id } });
    assert.equal(stored.hash, sha256Hex(app.client_secret));

    const got = await call(tenant, "GET", `/applications/${app.id}`, { token });
    assert.equal(got.status, 200);
    assert.equal(got.body.name, "Billing");
    assert.equal(got.body.client_secret, undefined, "the secret is never shown again");

    const updated = await call(tenant, "PATCH", `/applications/${app.id}`, {
      token,
      body: { name: "Billing v2", enabled: false, quota_per_hour: 100, quota_mode: "log" },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual(
      [updated.body.name, updated.body.enabled, updated.body.quota_per_hour, updated.body.quota_per_day, updated.body.quota_mode],
      ["Billing v2", false, 100, null, "log"],
    );

    const log = await call(tenant, "GET", `/logs?action=application.update&actor=${client.clientId}`, { token });
    assert.equal(log.status, 200);
    const event = log.body.find((e: { target: { id: string } }) => e.target.id === app.id);
    assert.ok(event, "the update is audited");
    assert.deepEqual(event.actor, { type: "client", id: client.clientId, label: client.name });
    assert.deepEqual(event.before, { name: "Billing", enabled: true, quotaPerHour: null, quotaMode: "enforce" });
    assert.deepEqual(event.after, { name: "Billing v2", enabled: false, quotaPerHour: 100, quotaMode: "log" });

    const create = (await call(tenant, "GET", `/logs?action=application.create`, { token })).body.find(
      (e: { target: { id: string } }) => e.target.id === app.id,
    );
    assert.ok(create);
    assert.doesNotMatch(JSON.stringify(create), new RegExp(app.client_secret));

    assert.equal((await call(tenant, "DELETE", `/applications/${app.id}`, { token })).status, 204);
    assert.equal((await call(tenant, "GET", `/applications/${app.id}`, { token })).status, 404);
    const deleted = (await call(tenant, "GET", `/logs?action=application.delete`, { token })).body;
    assert.equal(deleted[0].target.id, app.id);
    assert.equal(deleted[0].before.name, "Billing v2");
  });

  it("lists are JSON arrays with X-Total-Count and Link; ?q= filters by name or client_id", async () => {
    for (let i = 1; i <= 5; i++) assert.equal((await call(tenant, "POST", "/applications", { token, body: { name: `Paged ${i}` } })).status, 201);
    const page = await call(tenant, "GET", "/applications?q=paged&per_page=2&page=2", { token });
    assert.equal(page.status, 200);
    assert.ok(Array.isArray(page.body));
    assert.deepEqual(
      page.body.map((a: { name: string }) => a.name),
      ["Paged 3", "Paged 2"],
      "newest first",
    );
    assert.equal(page.headers.get("x-total-count"), "5");
    const links = parseLinks(page.headers.get("link"));
    assert.deepEqual(Object.fromEntries(Object.entries(links).map(([rel, l]) => [rel, [l.page, l.perPage]])), {
      first: [1, 2],
      prev: [1, 2],
      next: [3, 2],
      last: [3, 2],
    });
    assert.equal(links.next!.url.origin + links.next!.url.pathname, `${tenant.issuer}/api/v1/applications`);
    assert.equal(links.next!.url.searchParams.get("q"), "paged");

    const byClientId = await call(tenant, "GET", `/applications?q=${client.clientId}`, { token });
    assert.deepEqual(
      byClientId.body.map((a: { id: string }) => a.id),
      [client.id],
    );
  });

  it("secrets: list without values, create (value once), revoke; the app's grants", async () => {
    const before = await call(tenant, "GET", `/applications/${client.id}/secrets`, { token });
    assert.equal(before.status, 200);
    assert.deepEqual(
      before.body.map((s: { id: string }) => s.id),
      [client.secretId],
    );
    assert.doesNotMatch(JSON.stringify(before.body), /grantry_|hash/);

    const expires = new Date(Date.now() + 86400_000).toISOString();
    const created = await call(tenant, "POST", `/applications/${client.id}/secrets`, { token, body: { expires_at: expires } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.client_secret, /^grantry_/);
    assert.equal(created.body.expires_at, expires);

    const revoked = await call(tenant, "DELETE", `/applications/${client.id}/secrets/${created.body.id}`, { token });
    assert.equal(revoked.status, 204);
    const live = await call(tenant, "GET", `/applications/${client.id}/secrets`, { token });
    assert.deepEqual(
      live.body.map((s: { id: string }) => s.id),
      [client.secretId],
    );
    const all = await call(tenant, "GET", `/applications/${client.id}/secrets?include_revoked=true`, { token });
    assert.equal(all.body.length, 2);
    assert.ok(all.body.find((s: { id: string; revoked_at: string | null }) => s.id === created.body.id)?.revoked_at);

    const audit = (await call(tenant, "GET", `/logs?action=secret.create`, { token })).body;
    assert.ok(audit.length >= 1);
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(created.body.client_secret));
    assert.equal((await call(tenant, "POST", `/applications/${client.id}/secrets`, { token, body: { expires_at: "2001-01-01T00:00:00Z" } })).status, 422);

    const grants = await call(tenant, "GET", `/applications/${client.id}/grants`, { token });
    assert.equal(grants.status, 200);
    assert.equal(grants.body.length, 1);
    assert.equal(grants.body[0].api.identifier, tenant.issuer);
    assert.equal(grants.body[0].api.kind, "management");
    assert.equal(grants.headers.get("x-total-count"), "1");
  });

  it("an update that changes nothing writes no audit event", async () => {
    const app = (await call(tenant, "POST", "/applications", { token, body: { name: "Unchanged" } })).body;
    const api = (await call(tenant, "POST", "/apis", { token, body: { name: "Same", identifier: "https://same.example.com", scopes: [{ name: "a" }] } })).body;
    const grant = (await call(tenant, "POST", "/grants", { token, body: { application_id: app.id, api_id: api.id, scopes: ["a"] } })).body;
    const total = async () => Number((await call(tenant, "GET", "/logs?per_page=1", { token })).headers.get("x-total-count"));
    const before = await total();
    for (const [path, body] of [
      [`/applications/${app.id}`, {}],
      [`/applications/${app.id}`, { name: "Unchanged", enabled: true }],
      [`/apis/${api.id}`, {}],
      [`/apis/${api.id}`, { name: "Same" }],
      [`/apis/${tenant.managementApiId}`, {}],
      [`/grants/${grant.id}`, { scopes: ["a"] }],
    ] as const) {
      const res = await call(tenant, "PATCH", path, { token, body });
      assert.equal(res.status, 200, `${path} ${JSON.stringify(res.body)}`);
    }
    assert.equal(await total(), before);
    await call(tenant, "PATCH", `/applications/${app.id}`, { token, body: { name: "Changed" } });
    assert.equal(await total(), before + 1, "a real change is still recorded");
  });
});
