// PostgreSQL frozen (SIGSTOP of the postmaster and every backend: a hung
// disk, a paused VM, a partition that drops packets) under open-loop token
// load for 15 s: no request waits more than 3 s, every answer is 200 or 503,
// and tokens flow again within 2 s of SIGCONT.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { assertBounded, assertOutageSaidOnce, loadAroundFreeze, tree } from "./freeze";
import { seedClient, serversOnPostgres, stopSharedPostgres, tokenRequest } from "./support";

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const fn of cleanups) await fn();
  stopSharedPostgres();
});

test("PostgreSQL frozen for 15 s: bounded answers, recovery within 2 s", { timeout: 170_000 }, async () => {
  // A short TTL: requests reach the database during the freeze, rather than the cache hiding it.
  const fixture = await serversOnPostgres("frozen-pg", 1, { GRANTRY_CACHE_TTL_MS: "250" });
  cleanups.push(fixture.stop);
  const { app, api, tenant } = await seedClient();
  const request = async () => (await tokenRequest(tenant.tokenUrl, app.clientId, app.clientSecret, api.identifier)).status;
  assert.equal(await request(), 200);
  assertBounded(await loadAroundFreeze(request, () => tree(fixture.postgres.pid())), "PostgreSQL");
  assertOutageSaidOnce(fixture.servers[0]!.logFile);
});
