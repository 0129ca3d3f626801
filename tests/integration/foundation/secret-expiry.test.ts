// The applications list's "Secret expires soon" flag: computed for a page of
// applications in one grouped query, true only when every live secret expires
// within 7 days.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { db } from "../../../lib/db";
import { SYSTEM_ACTOR } from "../../../lib/domain/audit";
import { createApplication, listApplications, secretsExpiringSoon } from "../../../lib/domain/applications";
import { createSecret, revokeSecret } from "../../../lib/domain/secrets";
import { createTenant } from "../../../lib/domain/tenants";

after(() => db.$disconnect());
const DAY = 24 * 3600 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * DAY);

test("only applications whose live secrets all expire within 7 days are flagged, with their last expiry", async () => {
  const tenant = await createTenant({ slug: `expiry-${randomBytes(4).toString("hex")}`, name: "Expiry" }, SYSTEM_ACTOR);
  const app = async (name: string) => await createApplication(tenant.id, { name }, SYSTEM_ACTOR);
  // Only secret expires in 3 days (the first, never-expiring one revoked).
  const soon = await app("Soon");
  await createSecret(tenant.id, soon.application.id, { expires_at: inDays(3).toISOString() }, SYSTEM_ACTOR);
  await revokeSecret(tenant.id, soon.application.id, soon.secret.id, SYSTEM_ACTOR);
  // Two secrets, both within the window: the later one counts.
  const both = await app("Both soon");
  await createSecret(tenant.id, both.application.id, { expires_at: inDays(2).toISOString() }, SYSTEM_ACTOR);
  await createSecret(tenant.id, both.application.id, { expires_at: inDays(5).toISOString() }, SYSTEM_ACTOR);
  await revokeSecret(tenant.id, both.application.id, both.secret.id, SYSTEM_ACTOR);
  // One expiring soon, one that never expires: not flagged.
  const mixed = await app("Mixed");
  await createSecret(tenant.id, mixed.application.id, { expires_at: inDays(1).toISOString() }, SYSTEM_ACTOR);
  // One expiring soon, one in 30 days: not flagged.
  const later = await app("Later");
  await createSecret(tenant.id, later.application.id, { expires_at: inDays(1).toISOString() }, SYSTEM_ACTOR);
  await createSecret(tenant.id, later.application.id, { expires_at: inDays(30).toISOString() }, SYSTEM_ACTOR);
  await revokeSecret(tenant.id, later.application.id, later.secret.id, SYSTEM_ACTOR);
  const plain = await app("Plain");

  const ids = [soon, both, mixed, later, plain].map((a) => a.application.id);
  const flagged = await secretsExpiringSoon(tenant.id, ids);
  assert.deepEqual([...flagged.keys()].sort(), [soon.application.id, both.application.id].sort());
  assert.ok(Math.abs(flagged.get(both.application.id)!.getTime() - inDays(5).getTime()) < 60_000, "the last live secret's expiry");

  const { items } = await listApplications(tenant.id, { perPage: 10 });
  assert.deepEqual(
    items
      .filter((a) => a.secretsExpireAt)
      .map((a) => a.name)
      .sort(),
    ["Both soon", "Soon"],
  );
  // Another tenant's ids are not looked at.
  const other = await createTenant({ slug: `expiry-${randomBytes(4).toString("hex")}`, name: "Other" }, SYSTEM_ACTOR);
  assert.equal((await secretsExpiringSoon(other.id, ids)).size, 0);
});
