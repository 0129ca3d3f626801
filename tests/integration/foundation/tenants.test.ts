// The domain against the server's own database: tenants, members, validation, isolation.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { db } from "../../../lib/db";
import { SYSTEM_ACTOR } from "../../../lib/domain/audit";
import { createApplication, getApplication, listApplications } from "../../../lib/domain/applications";
import { createApi, getApi, listApiSummaries, listApis, scopesOfApis } from "../../../lib/domain/apis";
import { DomainError } from "../../../lib/domain/errors";
import { changeMemberRole, removeMember } from "../../../lib/domain/members";
import { addMember } from "../helpers/members";
import { MANAGEMENT_API_NAME, MANAGEMENT_SCOPES } from "../../../lib/domain/management-api";
import { createTenant } from "../../../lib/domain/tenants";
import { issuerFor } from "../../../lib/tenancy";

const slug = (p: string) => `${p}-${randomBytes(4).toString("hex")}`;
after(() => db.$disconnect());

async function rejects(fn: () => Promise<unknown>, code: string, field?: string) {
  await assert.rejects(fn, (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, code);
    if (field) assert.ok(error.details[field], `expected a message for "${field}", got ${JSON.stringify(error.details)}`);
    return true;
  });
}

test("creating a tenant creates its signing key and its Management API with every scope", async () => {
  const tenant = await createTenant({ slug: slug("keys"), name: "Keys" }, SYSTEM_ACTOR);
  const keys = await db.signingKey.findMany({ where: { tenantId: tenant.id } });
  assert.equal(keys.length, 1);
  assert.equal(keys[0]!.state, "current");
  assert.equal(keys[0]!.alg, "RS256");
  assert.match(keys[0]!.privateKeyEnc, /^v1\./, "the private key is stored encrypted");
  assert.ok(!JSON.stringify(keys[0]!.publicJwk).includes('"d"'), "no private member in the public JWK");

  const apis = await listApis(tenant.id);
  assert.equal(apis.length, 1);
  assert.equal(apis[0]!.kind, "management");
  assert.equal(apis[0]!.identifier, issuerFor(tenant.slug));
  assert.deepEqual(apis[0]!.scopes.map((s) => s.name).sort(), MANAGEMENT_SCOPES.map((s) => s.name).sort());
});

test("an API's scopes are its own, by name, and only the tenant's: listApis, scopesOfApis", async () => {
  const tenant = await createTenant({ slug: slug("scopes") }, SYSTEM_ACTOR);
  const other = await createTenant({ slug: slug("scopes-b") }, SYSTEM_ACTOR);
  const orders = await createApi(
    tenant.id,
    { name: "Orders", identifier: `https://orders.${tenant.slug}.test`, scopes: [{ name: "write:orders" }, { name: "read:orders", description: "Read" }] },
    SYSTEM_ACTOR,
  );
  const bare = await createApi(tenant.id, { name: "Bare", identifier: `urn:${tenant.slug}:bare` }, SYSTEM_ACTOR);
  const foreign = await createApi(
    other.id,
    { name: "Foreign", identifier: `https://orders.${tenant.slug}.test`, scopes: [{ name: "read:orders" }] },
    SYSTEM_ACTOR,
  );

  const apis = await listApis(tenant.id);
  assert.deepEqual(
    apis.map((a) => a.name),
    [MANAGEMENT_API_NAME, "Bare", "Orders"],
    "the Management API first, then by name",
  );
  assert.deepEqual(
    apis.find((a) => a.id === orders.id)!.scopes.map(({ name, description }) => ({ name, description })),
    [
      { name: "read:orders", description: "Read" },
      { name: "write:orders", description: "" },
    ],
  );
  assert.deepEqual(apis.find((a) => a.id === bare.id)!.scopes, []);
  assert.deepEqual(
    (await listApiSummaries(tenant.id)).map((a) => a.id),
    apis.map((a) => a.id),
    "the summaries list the same APIs in the same order",
  );

  const some = await scopesOfApis(tenant.id, [orders.id, foreign.id]);
  assert.deepEqual([...some.keys()], [orders.id], "another tenant's API id reads nothing");
  assert.deepEqual(
    some.get(orders.id)!.map((s) => s.name),
    ["read:orders", "write:orders"],
  );
  assert.equal((await scopesOfApis(tenant.id, [])).size, 0);
  assert.ok(!(await scopesOfApis(tenant.id)).has(foreign.id));
});

test("slugs, emails and passwords are validated with field errors", async () => {
  await rejects(() => createTenant({ slug: "No Spaces" }, SYSTEM_ACTOR), "validation_failed", "slug");
  await rejects(() => createTenant({ slug: "ab" }, SYSTEM_ACTOR), "validation_failed", "slug");
  const tenant = await createTenant({ slug: slug("valid") }, SYSTEM_ACTOR);
  await rejects(() => createTenant({ slug: tenant.slug }, SYSTEM_ACTOR), "conflict", "slug");
  await rejects(() => addMember(tenant.id, { email: "not-an-email", role: "admin", password: "long enough password" }), "validation_failed", "email");
  await rejects(() => addMember(tenant.id, { email: `${slug("u")}@example.com`, role: "admin", password: "short" }), "validation_failed", "password");
  await rejects(
    () => addMember(tenant.id, { email: `${slug("u")}@example.com`, role: "king" as never, password: "long enough password" }),
    "validation_failed",
    "role",
  );
});

test("the last owner cannot be removed or demoted", async () => {
  const tenant = await createTenant({ slug: slug("owner") }, SYSTEM_ACTOR);
  const owner = await addMember(tenant.id, { email: `${slug("o")}@example.com`, role: "owner", password: "long enough password" });
  await rejects(() => removeMember(tenant.id, owner.id, SYSTEM_ACTOR), "conflict", "role");
  await rejects(() => changeMemberRole(tenant.id, owner.id, { role: "viewer" }, SYSTEM_ACTOR), "conflict", "role");
  const second = await addMember(tenant.id, { email: `${slug("o")}@example.com`, role: "owner", password: "long enough password" });
  await removeMember(tenant.id, owner.id, SYSTEM_ACTOR);
  await rejects(() => removeMember(tenant.id, second.id, SYSTEM_ACTOR), "conflict", "role");
});

test("tenant A cannot read or change tenant B's application or API", async () => {
  const a = await createTenant({ slug: slug("iso-a") }, SYSTEM_ACTOR);
  const b = await createTenant({ slug: slug("iso-b") }, SYSTEM_ACTOR);
  const { application } = await createApplication(b.id, { name: "B's app" }, SYSTEM_ACTOR);
  const bApi = (await listApis(b.id))[0]!;
  await rejects(() => getApplication(a.id, application.id), "not_found");
  await rejects(() => getApi(a.id, bApi.id), "not_found");
  assert.equal((await listApplications(a.id)).total, 0);
  const { updateApplication, deleteApplication } = await import("../../../lib/domain/applications");
  await rejects(() => updateApplication(a.id, application.id, { name: "stolen" }, SYSTEM_ACTOR), "not_found");
  await rejects(() => deleteApplication(a.id, application.id, SYSTEM_ACTOR), "not_found");
  assert.equal((await getApplication(b.id, application.id)).name, "B's app");
});

test("a new application's secret is stored only as a hash plus its last four characters", async () => {
  const tenant = await createTenant({ slug: slug("secret") }, SYSTEM_ACTOR);
  const { secret, application } = await createApplication(tenant.id, { name: "App" }, SYSTEM_ACTOR);
  assert.match(secret.value, /^grantry_[A-Za-z0-9_-]{43}$/);
  const row = await db.clientSecret.findFirstOrThrow({ where: { applicationId: application.id } });
  assert.equal(row.lastFour, secret.value.slice(-4));
  assert.match(row.hash, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(row).includes(secret.value));
});
