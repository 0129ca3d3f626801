// Tenant.configVersion is the one truth about configuration changes: it moves
// in the same transaction as the change (never after it, never without it),
// and changes to one tenant run one at a time without deadlocking.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { db } from "../../../lib/db";
import { SYSTEM_ACTOR } from "../../../lib/domain/audit";
import { createApplication, deleteApplication } from "../../../lib/domain/applications";
import { mutateTenant } from "../../../lib/domain/changes";
import { asDomainError } from "../../../lib/domain/errors";
import { setGrant } from "../../../lib/domain/grants";
import { createSecret, revokeSecret } from "../../../lib/domain/secrets";
import { seedApi, seedTenant } from "../helpers/seed";

after(() => db.$disconnect());

const versionOf = async (tenantId: string) => (await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { configVersion: true } })).configVersion;

test("each change moves the version by exactly one, by the time the change returns", async () => {
  const tenant = await seedTenant();
  const start = await versionOf(tenant.id);
  const { application, secret } = await createApplication(tenant.id, { name: "Versioned" }, SYSTEM_ACTOR);
  assert.equal(await versionOf(tenant.id), start + 1, "created: visible as soon as createApplication returns");
  const second = await createSecret(tenant.id, application.id, {}, SYSTEM_ACTOR);
  assert.equal(await versionOf(tenant.id), start + 2);
  await revokeSecret(tenant.id, application.id, secret.id, SYSTEM_ACTOR);
  await revokeSecret(tenant.id, application.id, second.id, SYSTEM_ACTOR);
  assert.equal(await versionOf(tenant.id), start + 4);
});

test("a change that fails leaves neither its rows nor a version bump", async () => {
  const tenant = await seedTenant();
  const start = await versionOf(tenant.id);
  await assert.rejects(
    mutateTenant(tenant.id, async (tx) => {
      await tx.application.create({ data: { tenantId: tenant.id, name: "Half-made", clientId: `half-${Date.now()}` } });
      throw new Error("the change fails after its first write");
    }),
    /the change fails after its first write/,
  );
  assert.equal(await versionOf(tenant.id), start);
  assert.equal(await db.application.count({ where: { tenantId: tenant.id, name: "Half-made" } }), 0);
});

// On the embedded database this race also showed concurrent transactions receiving one
// another's results (PGlite answered an error before the Sync with a second ReadyForQuery:
// scripts/embedded-db-server.mjs).
test(
  "deleting an application while it is being granted, twenty times over: each call succeeds or fails as the domain says, never a deadlock",
  { timeout: 120_000 },
  async () => {
    const tenant = await seedTenant();
    const api = await seedApi(tenant.id, { scopes: ["read"] });
    const unexpected: string[] = [];
    for (let round = 0; round < 20; round++) {
      const { application } = await createApplication(tenant.id, { name: `Race ${round}` }, SYSTEM_ACTOR);
      const results = await Promise.allSettled([
        deleteApplication(tenant.id, application.id, SYSTEM_ACTOR),
        setGrant(tenant.id, { application_id: application.id, api_id: api.id, scopes: ["read"] }, SYSTEM_ACTOR),
      ]);
      for (const result of results) {
        if (result.status === "rejected" && !asDomainError(result.reason)) unexpected.push(`round ${round}: ${String(result.reason).slice(0, 300)}`);
      }
    }
    assert.deepEqual(unexpected, []);
  },
);
