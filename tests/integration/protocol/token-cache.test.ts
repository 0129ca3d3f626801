// The token path's cache in a process that served no token for longer than
// its grace period (4 TTLs): the tenant is confirmed with its one-row
// configuration version and served from memory, and reloaded in full only when
// that version moved. Runs in this process, on the server's database.
import assert from "node:assert/strict";
import { after, test } from "node:test";

process.env.GRANTRY_CACHE_TTL_MS = "100";
const { resetEnvCache } = await import("../../../lib/env");
resetEnvCache();
const { db } = await import("../../../lib/db");
const { tenantSnapshot } = await import("../../../lib/oauth/cache");
const { seedM2M } = await import("../helpers/seed");

after(() => db.$disconnect());

const pastGrace = () => new Promise((resolve) => setTimeout(resolve, 700));

test("past the grace period an unchanged tenant is checked by its version, not reloaded; a moved version reloads it", async () => {
  const { tenant, app } = await seedM2M();
  const first = await tenantSnapshot(tenant.id);
  assert.equal(first.clients.get(app.clientId)?.secrets.length, 1);

  // A change made by hand in SQL, without bumping Tenant.configVersion: only
  // a full reload would see it (the 10-minute safety net), so it shows whether one ran.
  await db.$executeRaw`DELETE FROM "ClientSecret" WHERE "applicationId" = ${app.id}`;
  await pastGrace();
  const second = await tenantSnapshot(tenant.id);
  assert.equal(second, first, "the cached snapshot is served again after the version check");
  assert.equal(second.clients.get(app.clientId)?.secrets.length, 1);

  // What every change Grantry makes does: bump the version (here from "another process").
  await db.tenant.update({ where: { id: tenant.id }, data: { configVersion: { increment: 1 } } });
  await pastGrace();
  const third = await tenantSnapshot(tenant.id);
  assert.notEqual(third, first, "a moved version reloads the tenant");
  assert.equal(third.clients.get(app.clientId)?.secrets.length, 0);
  assert.equal(third.configVersion, first.configVersion + 1);
});
