// The token log through GET /api/v1/logs/tokens: what a success and each kind
// of refusal record, the filters, pages and NDJSON export, who may read it,
// retention, and that token requests never wait on the log's writes.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { createApi } from "@/lib/domain/apis";
import { createApplication } from "@/lib/domain/applications";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { setGrant } from "@/lib/domain/grants";
import { pruneTokenLog, writeTokenLogRows } from "@/lib/domain/token-log-store";
import { adminSession, call, mintToken, seedClient, serverUrl, type Client, type Json, type Tenant } from "./support";

after(() => db.$disconnect());

const UA = "token-log-test/1";

async function seedApp(tenant: Tenant, name: string): Promise<Client> {
  const { application, secret } = await createApplication(tenant.id, { name }, SYSTEM_ACTOR);
  return { id: application.id, clientId: application.clientId, clientSecret: secret.value, secretId: secret.id, name };
}

async function tokenRequest(tenant: Tenant, body: Record<string, string>, userAgent = UA): Promise<{ status: number; body: Json }> {
  const res = await fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": userAgent },
    body: JSON.stringify({ grant_type: "client_credentials", ...body }),
  });
  return { status: res.status, body: await res.json() };
}

/** Polls until the log holds `n` requests matching `query` (writes land about a second later). */
async function logged(tenant: Tenant, token: string, query: string, n: number): Promise<Json[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await call(tenant, "GET", `/logs/tokens?per_page=100${query}`, { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const total = (res.body as Json[]).reduce((sum: number, r: Json) => sum + r.count, 0);
    if (total >= n || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("token log", () => {
  let tenant: Tenant;
  let token: string;
  let billing: Client;
  let nightly: Client;
  let apiId: string;
  const audience = "https://orders.token-log.example";

  before(async () => {
    ({ tenant, token } = await adminSession("tlog"));
    const api = await createApi(tenant.id, { name: "Orders", identifier: audience, scopes: [{ name: "read:orders" }, { name: "write:orders" }] }, SYSTEM_ACTOR);
    apiId = api.id;
    billing = await seedApp(tenant, "Billing worker");
    nightly = await seedApp(tenant, "Nightly export");
    await setGrant(tenant.id, { application_id: billing.id, api_id: api.id, scopes: ["read:orders"] }, SYSTEM_ACTOR);

    const ok = await tokenRequest(tenant, { client_id: billing.clientId, client_secret: billing.clientSecret, audience, scope: "read:orders" });
    assert.equal(ok.status, 200);
    const wrongSecret = await tokenRequest(tenant, { client_id: billing.clientId, client_secret: "not-the-secret", audience });
    assert.equal(wrongSecret.body.error, "invalid_client");
    const noGrant = await tokenRequest(tenant, { client_id: nightly.clientId, client_secret: nightly.clientSecret, audience });
    assert.equal(noGrant.body.error, "access_denied");
    const badScope = await tokenRequest(tenant, { client_id: billing.clientId, client_secret: billing.clientSecret, audience, scope: "write:orders" });
    assert.equal(badScope.body.error, "invalid_scope");
    const stranger = await tokenRequest(tenant, { client_id: "no-such-client", client_secret: "x", audience });
    assert.equal(stranger.body.error, "invalid_client");
    await logged(tenant, token, "", 5);
  });

  it("records a success with names, scopes, address, user agent and latency", async () => {
    const [row, ...rest] = await logged(tenant, token, "&outcome=success", 1);
    assert.equal(rest.length, 0);
    assert.equal(row.application_id, billing.id);
    assert.equal(row.application_name, "Billing worker");
    assert.equal(row.client_id, billing.clientId);
    assert.equal(row.api_id, apiId);
    assert.equal(row.api_name, "Orders");
    assert.equal(row.scope_requested, "read:orders");
    assert.equal(row.scope_granted, "read:orders");
    assert.equal(row.error, null);
    assert.equal(row.count, 1);
    assert.equal(row.user_agent, UA);
    assert.match(row.client_address, /127\.0\.0\.1|::1/);
    assert.ok(row.latency_ms >= 0 && row.latency_ms < 10_000, String(row.latency_ms));
  });

  it("a wrong secret is attributed to the application its client_id names; an unknown client_id to none", async () => {
    const rows = await logged(tenant, token, "&error=invalid_client", 2);
    assert.equal(rows.length, 2);
    const attributed = rows.find((r: Json) => r.application_id);
    assert.equal(attributed.application_id, billing.id);
    assert.equal(attributed.application_name, "Billing worker");
    assert.equal(attributed.scope_granted, "");
    assert.equal(attributed.api_name, "Orders");
    assert.ok(rows.some((r: Json) => r.application_id === null && r.application_name === null));
    // The daily counters attribute it too.
    const deadline = Date.now() + 10_000;
    let counted = 0;
    while (!counted && Date.now() < deadline) {
      counted =
        (await db.tokenUsage.aggregate({ where: { tenantId: tenant.id, applicationId: billing.id, outcome: "invalid_client" }, _sum: { count: true } }))._sum
          .count ?? 0;
      if (!counted) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(counted, 1);
  });

  it("filters narrow by application, API, outcome, error code and time", async () => {
    const count = async (query: string) => (await call(tenant, "GET", `/logs/tokens?per_page=100&${query}`, { token })).body.length;
    assert.equal(await count("outcome=failure"), 4);
    assert.equal(await count("error=access_denied"), 1);
    assert.equal(await count(`application_id=${billing.id}`), 3);
    assert.equal(await count(`application_id=${nightly.id}&error=access_denied`), 1);
    // A refused client's API is the one it asked for: every request above named Orders.
    assert.equal(await count(`api_id=${apiId}`), 5);
    assert.equal(await count(`api_id=${apiId}&outcome=failure`), 4);
    assert.equal(await count(`api_id=${apiId}&application_id=${billing.id}&error=invalid_client`), 1);
    assert.equal(await count(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), 0);
    assert.equal(await count(`to=2020-01-01`), 0);
    assert.equal(await count(`from=2020-01-01&to=2099-12-31`), 5);
  });

  it("pages like every list, and exports NDJSON", async () => {
    const page = await call(tenant, "GET", "/logs/tokens?per_page=2&page=2", { token });
    assert.equal(page.status, 200);
    assert.equal(page.body.length, 2);
    assert.equal(page.headers.get("x-total-count"), "5");
    assert.match(page.headers.get("link") ?? "", /rel="next"/);
    const all = await call(tenant, "GET", "/logs/tokens", { token });
    assert.deepEqual(
      all.body.map((r: Json) => r.at),
      [...all.body.map((r: Json) => r.at)].sort().reverse(),
      "newest first",
    );

    for (const [query, headers] of [
      ["", { accept: "application/x-ndjson" }],
      ["?format=ndjson", {}],
    ] as const) {
      const res = await fetch(serverUrl(`${tenant.issuer}/api/v1/logs/tokens${query}`), { headers: { authorization: `Bearer ${token}`, ...headers } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^application\/x-ndjson/);
      const lines = (await res.text()).trimEnd().split("\n");
      assert.equal(lines.length, 5);
      assert.deepEqual(
        lines.map((l) => JSON.parse(l).id),
        all.body.map((r: Json) => r.id),
      );
    }
    const filtered = await fetch(serverUrl(`${tenant.issuer}/api/v1/logs/tokens?format=ndjson&error=invalid_client`), {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal((await filtered.text()).trimEnd().split("\n").length, 2);
  });

  it("needs read:logs: another scope gets 403 insufficient_scope", async () => {
    const client = await seedClient(tenant, ["read:applications", "read:stats"], "Reader");
    const res = await call(tenant, "GET", "/logs/tokens", { token: await mintToken(tenant, client, { scope: "read:applications read:stats" }) });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "insufficient_scope");
  });

  it("a stranger's scope and user agent are not kept (no row per varied request); a client's NUL is stored, not a failed batch", async () => {
    // Strangers (unknown client_id, wrong secret) varying what they send fold into one row per flush.
    for (let i = 0; i < 5; i++) {
      const res = await tokenRequest(tenant, { client_id: billing.clientId, client_secret: `guess-${i}`, audience, scope: `s${i}` }, `agent-${i}`);
      assert.equal(res.body.error, "invalid_client");
    }
    const refused = await logged(tenant, token, `&error=invalid_client&application_id=${billing.id}`, 6);
    assert.ok(
      refused.every((r: Json) => r.scope_requested === "" && r.user_agent === ""),
      JSON.stringify(refused),
    );
    assert.ok(refused.length <= 3, `folded: ${refused.length} rows for 6 requests`);
    // An authenticated client's NUL: PostgreSQL refuses NUL in text; the row (and every other row of its batch) is still written.
    const nul = await tokenRequest(tenant, { client_id: nightly.clientId, client_secret: nightly.clientSecret, audience, scope: "read:orders\u0000x" });
    assert.ok(nul.status >= 400 && nul.status < 500, JSON.stringify(nul));
    const rows = await logged(tenant, token, `&application_id=${nightly.id}&outcome=failure`, 2);
    assert.ok(
      rows.some((r: Json) => r.scope_requested === "read:orders\uFFFDx"),
      JSON.stringify(rows),
    );
  });

  it("malformed filters get field-named 422s (the API's answer to invalid input)", async () => {
    const cases: Array<[string, string]> = [
      ["outcome=maybe", "outcome"],
      ["application_id=%27%20OR%201%3D1", "application_id"],
      ["api_id=" + "a".repeat(65), "api_id"],
      ["error=DROP%20TABLE", "error"],
      ["from=yesterday", "from"],
      ["to=2030-02-30T25:00:00Z", "to"],
      ["from=2030-01-02&to=2030-01-01", "from"],
      // Valid ISO dates the database cannot hold: year 0, and year -1 once shifted to UTC.
      ["to=0000-01-01", "to"],
      ["from=0000-01-01T00:00:00%2B01:00", "from"],
      ["outcome=success&error=invalid_client", "error"],
      ["format=xml", "format"],
      ["per_page=1000", "per_page"],
      ["bogus=1", "bogus"],
    ];
    for (const [query, field] of cases) {
      const res = await call(tenant, "GET", `/logs/tokens?${query}`, { token });
      assert.equal(res.status, 422, `${query}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.ok(res.body.error.details?.[field], `${query}: ${JSON.stringify(res.body.error)}`);
    }
  });

  it("another tenant's token reads nothing of this log", async () => {
    const other = await adminSession("tlog-b");
    const own = await call(other.tenant, "GET", `/logs/tokens?application_id=${billing.id}`, { token: other.token });
    assert.equal(own.status, 200);
    assert.deepEqual(own.body, []);
    const ownAll = await call(other.tenant, "GET", "/logs/tokens", { token: other.token });
    assert.doesNotMatch(JSON.stringify(ownAll.body), new RegExp(`${billing.id}|${nightly.id}|Billing`));
    const ndjson = await fetch(serverUrl(`${other.tenant.issuer}/api/v1/logs/tokens?format=ndjson&application_id=${billing.id}`), {
      headers: { authorization: `Bearer ${other.token}` },
    });
    assert.equal(await ndjson.text(), "");
    const theirs = await call(tenant, "GET", "/logs/tokens", { token: other.token });
    assert.equal(theirs.status, 401);
  });

  it("retention deletes rows older than the cut-off in small batches, and nothing newer", async () => {
    const { tenant: t } = await adminSession("tlog-prune");
    const day = 86_400_000;
    const row = (i: number, at: number) => ({
      id: `prune-${t.id}-${i}`,
      tenantId: t.id,
      at,
      lastAt: at,
      count: 1,
      applicationId: null,
      apiId: null,
      outcome: "invalid_client",
      scopeRequested: "",
      reason: "",
      scopeGranted: "",
      address: "",
      userAgent: "",
      latencyMs: 1,
    });
    const now = Date.now();
    await writeTokenLogRows([...Array.from({ length: 23 }, (_, i) => row(i, now - 40 * day - i * 1000)), row(100, now - 29 * day), row(101, now)]);
    const deleted = await pruneTokenLog(new Date(now - 30 * day), 5);
    assert.ok(deleted >= 23, `deleted ${deleted}`);
    const left = await db.tokenLog.findMany({ where: { tenantId: t.id }, select: { id: true }, orderBy: { id: "asc" } });
    assert.deepEqual(
      left.map((r) => r.id),
      [`prune-${t.id}-100`, `prune-${t.id}-101`],
    );
  });

  it("under load no token request waits on the log's writes, and every request is counted", async () => {
    const body = { client_id: billing.clientId, client_secret: billing.clientSecret, audience, scope: "read:orders" };
    const burst = async (n: number, ua: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i += 25) {
        const answers = await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => tokenRequest(tenant, body, ua)));
        statuses.push(...answers.map((a) => a.status));
      }
      return statuses;
    };
    // While the table is locked every write blocks; the token endpoint must answer all the same.
    // (On PostgreSQL only: the embedded database runs one session at a time, so a held lock there stops every query.)
    if (process.env.GRANTRY_TEST_DB === "postgres") {
      await db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe('LOCK TABLE "TokenLog" IN EXCLUSIVE MODE');
          const first = await burst(100, "locked-load");
          await new Promise((r) => setTimeout(r, 1500)); // a flush is now stuck on the lock
          const second = await burst(100, "locked-load");
          assert.deepEqual([...new Set([...first, ...second])], [200]);
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
      const rows = await logged(tenant, token, `&application_id=${billing.id}&outcome=success`, 201);
      assert.equal(
        rows.filter((r: Json) => r.user_agent === "locked-load").reduce((n: number, r: Json) => n + r.count, 0),
        200,
      );
    }
    const statuses = await burst(500, "load");
    assert.deepEqual([...new Set(statuses)], [200]);
    const deadline = Date.now() + 15_000;
    let rows: Array<{ count: number }> = [];
    while (Date.now() < deadline) {
      rows = await db.tokenLog.findMany({ where: { tenantId: tenant.id, userAgent: "load" }, select: { count: true } });
      if (rows.reduce((n, r) => n + r.count, 0) >= 500) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(
      rows.reduce((n, r) => n + r.count, 0),
      500,
    );
    // Identical requests are folded per flush: far fewer rows than requests.
    assert.ok(rows.length < 100, `${rows.length} rows for 500 requests`);
  });
});
