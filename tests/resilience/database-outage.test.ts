// PostgreSQL goes away: the token endpoint and /api/health answer 503 quickly;
// when it returns, everything recovers by itself and nothing is lost.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { seedClient, serversOnPostgres, stopSharedPostgres, tokenRequest } from "./support";

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const fn of cleanups) await fn();
  stopSharedPostgres();
});

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

test("a database outage gives fast 503s, then recovery without a restart", { timeout: 240_000 }, async () => {
  const fixture = await serversOnPostgres("outage", 1, { GRANTRY_CACHE_TTL_MS: "1000" });
  cleanups.push(fixture.stop);
  const server = fixture.servers[0]!;
  const { app, api, tenant } = await seedClient();
  assert.equal((await tokenRequest(tenant.tokenUrl, app.clientId, app.clientSecret, api.identifier)).status, 200);

  fixture.postgres.pause();
  // Past the cache's TTL (1 s) and its stale grace (4 TTLs), when requests must reach the database.
  await new Promise((r) => setTimeout(r, 4500));

  const token = await timed(() => tokenRequest(tenant.tokenUrl, app.clientId, app.clientSecret, api.identifier));
  assert.equal(token.value.status, 503);
  assert.deepEqual(((await token.value.json()) as { error: string }).error, "temporarily_unavailable");
  assert.ok(token.ms < 5000, `answered in ${token.ms} ms`);
  const health = await timed(() => fetch(`${server.url}/api/health`));
  assert.equal(health.value.status, 503);
  assert.deepEqual(await health.value.json(), { status: "unavailable", database: "unavailable" });
  assert.ok(health.ms < 5000, `health answered in ${health.ms} ms`);
  const live = await fetch(`${server.url}/api/health/live`);
  assert.equal(live.status, 200, "liveness does not depend on the database: a supervisor must not restart the server for an outage");

  fixture.postgres.resume();
  let healthy = false;
  for (let i = 0; i < 60 && !healthy; i++) {
    healthy = (await fetch(`${server.url}/api/health`)).status === 200;
    if (!healthy) await new Promise((r) => setTimeout(r, 500));
  }
  assert.ok(healthy, "health recovered");
  assert.equal((await tokenRequest(tenant.tokenUrl, app.clientId, app.clientSecret, api.identifier)).status, 200);

  // Writes work again and are kept: a new application gets tokens.
  const { seedApplication, seedGrant } = await import("../integration/helpers/seed");
  const fresh = await seedApplication(tenant.id, "after the outage");
  await seedGrant(tenant.id, fresh.id, api);
  let status = 0;
  for (let i = 0; i < 20 && status !== 200; i++) {
    status = (await tokenRequest(tenant.tokenUrl, fresh.clientId, fresh.clientSecret, api.identifier)).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(status, 200);
});
