// Quotas, the kill switch and grant expiry, set the way a script sets them
// (Management API) and observed the way clients see them (token endpoint,
// introspection): N+1 tokens under an enforced quota give exactly one 429; a
// log-only quota issues and flags; disabling stops new tokens and deactivates
// outstanding ones until re-enabled; an expired grant is access_denied.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, call, serverUrl, type Tenant } from "./support";

after(() => db.$disconnect());

let tenant: Tenant, token: string;
before(async () => {
  ({ tenant, token } = await adminSession("quota"));
  await clearOfWindowEdges();
});

/** Hour windows are UTC: a run that straddles a full hour would see its count reset. */
async function clearOfWindowEdges(): Promise<void> {
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 60_000) await new Promise((r) => setTimeout(r, 3_600_000 - intoHour + 1000));
}

type Setup = { app: { id: string; client_id: string; client_secret: string }; api: { id: string; identifier: string }; grant: { id: string } };

async function mgmt(method: string, path: string, body?: unknown) {
  const res = await call(tenant, method, path, { token, body });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let apis = 0;
async function setup(): Promise<Setup> {
  const app = await mgmt("POST", "/applications", { name: `Quota app ${++apis}` });
  const api = await mgmt("POST", "/apis", { name: `Quota API ${apis}`, identifier: `https://quota-${apis}.example.com/`, scopes: [{ name: "read" }] });
  const grant = await mgmt("POST", "/grants", { application_id: app.id, api_id: api.id, scopes: ["read"] });
  return { app, api, grant };
}

async function tokenRequest(s: Pick<Setup, "app" | "api">) {
  const res = await fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: s.app.client_id, client_secret: s.app.client_secret, audience: s.api.identifier }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, string> };
}

async function introspect(s: Setup, accessToken: string) {
  const res = await fetch(serverUrl(`${tenant.issuer}/oauth/introspect`), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${s.app.client_id}:${s.app.client_secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ token: accessToken }),
  });
  return (await res.json()) as { active: boolean };
}

/** The usage counters are flushed every GRANTRY_USAGE_FLUSH_MS (500 ms in tests). */
async function usageOf(applicationId: string, expected: (rows: Array<{ outcome: string; count: number; flagged: number }>) => boolean) {
  let rows: Array<{ outcome: string; count: number; flagged: number }> = [];
  for (let i = 0; i < 50; i++) {
    rows = await db.tokenUsage.findMany({
      where: { tenantId: tenant.id, applicationId },
      select: { outcome: true, count: true, flagged: true },
      orderBy: { outcome: "asc" },
    });
    if (expected(rows)) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
  return rows;
}

describe("quotas", () => {
  it("an enforced hourly quota on the application: N+1 requests give exactly one 429, with Retry-After and the quota header", async () => {
    const s = await setup();
    await mgmt("PATCH", `/applications/${s.app.id}`, { quota_per_hour: 3 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await tokenRequest(s));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 429],
    );
    assert.deepEqual(
      results.slice(0, 3).map((r) => /r=(\d+)/.exec(r.headers.get("grantry-client-quota-limit") ?? "")?.[1]),
      ["2", "1", "0"],
    );
    const refused = results[3]!;
    assert.equal(refused.body.error, "too_many_requests");
    assert.match(refused.body.error_description!, /quota exceeded: 3 tokens per hour for this application/i);
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    assert.match(refused.headers.get("grantry-client-quota-limit") ?? "", /^b=per_hour;q=3;r=0;t=\d+$/);
    assert.equal(refused.headers.get("cache-control"), "no-store");
    const rows = await usageOf(s.app.id, (r) => r.some((x) => x.outcome === "quota_exceeded"));
    assert.deepEqual(
      rows.map((r) => [r.outcome, r.count]),
      [
        ["ok", 3],
        ["quota_exceeded", 1],
      ],
    );

    // Raising the quota takes effect on the next request.
    await mgmt("PATCH", `/applications/${s.app.id}`, { quota_per_hour: 4 });
    assert.deepEqual([(await tokenRequest(s)).status, (await tokenRequest(s)).status], [200, 429]);
  });

  it("an enforced daily quota on one grant limits that API only", async () => {
    const s = await setup();
    const other = await mgmt("POST", "/apis", { name: "Unlimited API", identifier: "https://unlimited.example.com/" });
    await mgmt("POST", "/grants", { application_id: s.app.id, api_id: other.id, scopes: [] });
    const grant = await mgmt("PATCH", `/grants/${s.grant.id}`, { quota_per_day: 2 });
    assert.equal(grant.quota_per_day, 2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await tokenRequest(s)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const refused = await tokenRequest(s);
    assert.match(refused.body.error_description!, /2 tokens per day for this application and API/);
    assert.match(refused.headers.get("grantry-grant-quota-limit") ?? "", /^b=per_day;q=2;r=0;t=\d+$/);
    assert.equal(refused.headers.get("grantry-client-quota-limit"), null, "the application itself has no quota");
    assert.equal((await tokenRequest({ app: s.app, api: other })).status, 200, "another API of the same application is not limited");
  });

  it("a log-only quota issues every token and flags those over it", async () => {
    const s = await setup();
    await mgmt("PATCH", `/applications/${s.app.id}`, { quota_per_hour: 2, quota_mode: "log" });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await tokenRequest(s)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    const rows = await usageOf(s.app.id, (r) => r.some((x) => x.outcome === "ok" && x.count === 5));
    assert.deepEqual(
      rows.map((r) => [r.outcome, r.count, r.flagged]),
      [["ok", 5, 3]],
    );
  });

  it("quotas are validated with field names", async () => {
    const s = await setup();
    for (const body of [{ quota_per_hour: 0 }, { quota_per_day: -5 }, { quota_per_hour: 1.5 }, { quota_mode: "sometimes" }, { quota_per_hour: "10" }]) {
      const res = await call(tenant, "PATCH", `/applications/${s.app.id}`, { token, body });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.deepEqual(Object.keys(res.body.error.details), Object.keys(body));
    }
  });
});

describe("kill switch and grant expiry", () => {
  it("disabling stops new tokens at once and deactivates outstanding ones; re-enabling restores issuance", async () => {
    const s = await setup();
    const issued = await tokenRequest(s);
    assert.equal(issued.status, 200);
    assert.equal((await introspect(s, issued.body.access_token!)).active, true);

    await mgmt("PATCH", `/applications/${s.app.id}`, { enabled: false });
    const refused = await tokenRequest(s);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body, { error: "unauthorized_client", error_description: "This application is disabled" });
    // A disabled client cannot introspect either: ask as another, enabled client
    // of the tenant granted the same API (its resource server; others are told nothing).
    const watcher = await setup();
    await mgmt("POST", "/grants", { application_id: watcher.app.id, api_id: s.api.id, scopes: [] });
    const asWatcher = { ...s, app: watcher.app };
    assert.equal((await introspect(asWatcher, issued.body.access_token!)).active, false);

    await mgmt("PATCH", `/applications/${s.app.id}`, { enabled: true });
    assert.equal((await tokenRequest(s)).status, 200);
    assert.equal((await introspect(asWatcher, issued.body.access_token!)).active, true);
  });

  it("deleting the grant stops new tokens and deactivates outstanding ones", async () => {
    const s = await setup();
    const issued = await tokenRequest(s);
    assert.equal(issued.status, 200);
    await mgmt("DELETE", `/grants/${s.grant.id}`);
    const refused = await tokenRequest(s);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, "access_denied");
    assert.equal((await introspect(s, issued.body.access_token!)).active, false);
  });

  it("after its expiry a grant answers access_denied and its tokens introspect inactive; clearing the expiry restores it", async () => {
    const s = await setup();
    // An expiry must be in the future when set: set one a moment ahead and let it pass.
    await mgmt("PATCH", `/grants/${s.grant.id}`, { expires_at: new Date(Date.now() + 2000).toISOString() });
    const issued = await tokenRequest(s);
    assert.equal(issued.status, 200);
    assert.equal((await introspect(s, issued.body.access_token!)).active, true);
    await new Promise((r) => setTimeout(r, 2100));
    const refused = await tokenRequest(s);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, "access_denied");
    assert.match(refused.body.error_description!, /has expired/);
    assert.equal((await introspect(s, issued.body.access_token!)).active, false);

    await mgmt("PATCH", `/grants/${s.grant.id}`, { expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal((await tokenRequest(s)).status, 200);
    await mgmt("PATCH", `/grants/${s.grant.id}`, { expires_at: null });
    assert.equal((await tokenRequest(s)).status, 200);
  });
});
