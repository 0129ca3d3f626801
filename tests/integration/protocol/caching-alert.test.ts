// The caching alert (lib/domain/caching.ts) on the counters the token
// endpoint writes: a burst of real token requests flags the application for
// that API and a client that reuses its token is not flagged; then, on
// counters written by hand with a fixed clock, the rule's boundary, its window
// (from the start of yesterday, UTC), the lifetime's part in it, and the tenant.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { db } from "@/lib/db";
import { CACHING_RULE, cachingAlerts } from "@/lib/domain/caching";
import { type SeededApi, type SeededApp, type SeededTenant, seedApi, seedApplication, seedGrant, seedTenant } from "../helpers/seed";
import { postJson, seedBody } from "./support";

after(() => db.$disconnect());

const DAY_MS = 86_400_000;

async function requestTokens(tenant: SeededTenant, app: SeededApp, api: SeededApi, count: number): Promise<void> {
  for (let sent = 0; sent < count;) {
    const batch = Math.min(20, count - sent);
    const answers = await Promise.all(Array.from({ length: batch }, () => postJson(tenant.tokenUrl, seedBody(app, api.identifier))));
    for (const res of answers) assert.equal(res.status, 200, JSON.stringify(res.body));
    sent += batch;
  }
}

/** The token endpoint flushes its counters every GRANTRY_USAGE_FLUSH_MS: wait until `count` tokens of the application have landed. */
async function untilCounted(tenantId: string, applicationId: string, count: number): Promise<void> {
  const deadline = Date.now() + Number(process.env.GRANTRY_USAGE_FLUSH_MS ?? 5000) + 10_000;
  for (;;) {
    const { _sum } = await db.tokenUsage.aggregate({ where: { tenantId, applicationId, outcome: "ok" }, _sum: { count: true } });
    if ((_sum.count ?? 0) >= count) return;
    assert.ok(Date.now() < deadline, `only ${_sum.count ?? 0} of ${count} tokens counted`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a burst of token requests flags the application for that API; a client that reuses its token is not flagged", async () => {
  const tenant = await seedTenant();
  const api = await seedApi(tenant.id, { name: "Orders API" }); // the default lifetime: 24 hours
  const bursty = await seedApplication(tenant.id, "Bursty worker");
  const caching = await seedApplication(tenant.id, "Caching worker");
  await seedGrant(tenant.id, bursty.id, api);
  await seedGrant(tenant.id, caching.id, api);

  // A day-long lifetime on a new application: one token is all it needs, so the floor (100) is the threshold.
  await requestTokens(tenant, caching, api, 1);
  await requestTokens(tenant, bursty, api, CACHING_RULE.minimum);
  await Promise.all([untilCounted(tenant.id, caching.id, 1), untilCounted(tenant.id, bursty.id, CACHING_RULE.minimum)]);
  assert.deepEqual(await cachingAlerts(tenant.id), [], "exactly at the threshold: no alert");

  await requestTokens(tenant, bursty, api, 1);
  await untilCounted(tenant.id, bursty.id, CACHING_RULE.minimum + 1);
  const alerts = await cachingAlerts(tenant.id);
  assert.equal(alerts.length, 1, JSON.stringify(alerts));
  const [alert] = alerts;
  assert.equal(alert!.applicationId, bursty.id);
  assert.deepEqual(alert!.api, { id: api.id, name: "Orders API", tokenLifetime: 86_400 });
  assert.equal(alert!.issued, CACHING_RULE.minimum + 1);
  assert.equal(alert!.needed, 1);
  assert.equal(alert!.threshold, CACHING_RULE.minimum);
  // The window starts when the application was created (today), not at the start of yesterday.
  const created = await db.application.findUniqueOrThrow({ where: { id: bursty.id }, select: { createdAt: true } });
  assert.equal(alert!.since.getTime(), created.createdAt.getTime());

  // Only these applications: the list page asks for its own page of them.
  assert.deepEqual(await cachingAlerts(tenant.id, [caching.id]), []);
  assert.equal((await cachingAlerts(tenant.id, [bursty.id, caching.id])).length, 1);
  assert.deepEqual(await cachingAlerts(tenant.id, []), []);
});

test("the window, the lifetime and the tenant: counters of yesterday and today count, older ones and failures do not", async () => {
  const tenant = await seedTenant();
  const other = await seedTenant();
  const hourly = await seedApi(tenant.id, { name: "Hourly API", tokenLifetime: 3600 });
  const daily = await seedApi(tenant.id, { name: "Daily API" });
  const app = await seedApplication(tenant.id, "Old worker");
  // Noon today, UTC: the window is yesterday and half of today, 36 hours.
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const now = new Date(today + DAY_MS / 2);
  await db.application.update({ where: { id: app.id }, data: { createdAt: new Date(today - 3 * DAY_MS) } });
  const day = (daysAgo: number) => new Date(today - daysAgo * DAY_MS);
  const count = (apiId: string, daysAgo: number, outcome: string, n: number) =>
    db.tokenUsage.create({ data: { tenantId: tenant.id, day: day(daysAgo), applicationId: app.id, apiId, outcome, count: n } });

  // A one-hour lifetime over 36 hours: 36 tokens needed, 360 allowed.
  await count(hourly.id, 1, "ok", 300);
  await count(hourly.id, 0, "ok", 60);
  // Neither failures nor the day before yesterday count.
  await count(hourly.id, 0, "invalid_client", 5000);
  await count(hourly.id, 2, "ok", 5000);
  // 360 of a day-long lifetime over 36 hours: 2 needed, the floor of 100 allowed.
  await count(daily.id, 0, "ok", 360);
  let alerts = await cachingAlerts(tenant.id, undefined, now);
  assert.deepEqual(
    alerts.map((a) => [a.api.name, a.issued, a.needed, a.threshold]),
    [["Daily API", 360, 2, 100]],
  );
  assert.equal(alerts[0]!.since.toISOString(), day(1).toISOString());
  assert.equal(alerts[0]!.windowSeconds, 36 * 3600);

  await db.tokenUsage.update({
    where: { tenantId_day_applicationId_apiId_outcome: { tenantId: tenant.id, day: day(0), applicationId: app.id, apiId: hourly.id, outcome: "ok" } },
    data: { count: 61 },
  });
  alerts = await cachingAlerts(tenant.id, undefined, now);
  // The worst first: 180× against about 10×.
  assert.deepEqual(
    alerts.map((a) => [a.api.name, a.issued, a.needed, a.threshold]),
    [
      ["Daily API", 360, 2, 100],
      ["Hourly API", 361, 36, 360],
    ],
  );

  // Another tenant sees none of it, even when it names this tenant's application.
  assert.deepEqual(await cachingAlerts(other.id, undefined, now), []);
  assert.deepEqual(await cachingAlerts(other.id, [app.id], now), []);
});
