// The dashboard's lists against the server's own database: an API's
// applications with the authorized ones first, client-id prefix search, and
// the Logs' target names, each kept to its tenant.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { db } from "../../../lib/db";
import { SYSTEM_ACTOR } from "../../../lib/domain/audit";
import { auditTargetNames } from "../../../lib/domain/audit-targets";
import { createApplication, deleteApplication, listApplications, listApplicationsForApi, updateApplication } from "../../../lib/domain/applications";
import { createApi } from "../../../lib/domain/apis";
import { setGrant } from "../../../lib/domain/grants";
import { createTenant } from "../../../lib/domain/tenants";

const slug = (p: string) => `${p}-${randomBytes(4).toString("hex")}`;
after(() => db.$disconnect());

async function tenantWithApps(prefix: string, count: number) {
  const tenant = await createTenant({ slug: slug(prefix) }, SYSTEM_ACTOR);
  const api = await createApi(tenant.id, { name: "Orders", identifier: `urn:${tenant.slug}:orders`, scopes: [{ name: "read:orders" }] }, SYSTEM_ACTOR);
  const apps = [];
  // Oldest first: apps[0] is on the last page of a newest-first list.
  for (let i = 0; i < count; i++) apps.push((await createApplication(tenant.id, { name: `App ${String(i).padStart(2, "0")}` }, SYSTEM_ACTOR)).application);
  return { tenant, api, apps };
}

test("an API's applications: the authorized ones first on page 1, the rest after, every application once; 'authorized only' keeps just those", async () => {
  const { tenant, api, apps } = await tenantWithApps("m2m-first", 23);
  for (const app of [apps[0]!, apps[1]!]) await setGrant(tenant.id, { application_id: app.id, api_id: api.id, scopes: ["read:orders"] }, SYSTEM_ACTOR);

  const pages = await Promise.all([1, 2, 3].map((page) => listApplicationsForApi(tenant.id, api.id, { page, perPage: 10 })));
  assert.deepEqual(
    pages[0]!.items.slice(0, 2).map((a) => a.name),
    ["App 01", "App 00"],
  );
  assert.equal(pages[0]!.total, 23);
  assert.equal(pages[0]!.authorized, 2);
  const seen = pages.flatMap((p) => p.items.map((a) => a.id));
  assert.equal(seen.length, 23);
  assert.equal(new Set(seen).size, 23, "no application on two pages");
  assert.deepEqual(
    pages.map((p) => p.items.length),
    [10, 10, 3],
  );

  const only = await listApplicationsForApi(tenant.id, api.id, { authorizedOnly: true });
  assert.deepEqual(
    only.items.map((a) => a.name),
    ["App 01", "App 00"],
  );
  assert.equal(only.total, 2);
  const searched = await listApplicationsForApi(tenant.id, api.id, { q: "App 00", authorizedOnly: true });
  assert.deepEqual(
    searched.items.map((a) => a.name),
    ["App 00"],
  );
});

test("another tenant's grants and applications never show on an API's list", async () => {
  const a = await tenantWithApps("m2m-a", 2);
  const b = await tenantWithApps("m2m-b", 2);
  await setGrant(b.tenant.id, { application_id: b.apps[0]!.id, api_id: b.api.id, scopes: [] }, SYSTEM_ACTOR);
  // Tenant A asking with B's API id: A's applications, none authorized.
  const crossed = await listApplicationsForApi(a.tenant.id, b.api.id, {});
  assert.equal(crossed.authorized, 0);
  assert.deepEqual(crossed.items.map((x) => x.id).sort(), a.apps.map((x) => x.id).sort());
  assert.equal((await listApplicationsForApi(a.tenant.id, b.api.id, { authorizedOnly: true })).total, 0);
});

test("a client id is found by its first 8 characters or more, only in its own tenant; fewer find nothing", async () => {
  const a = await tenantWithApps("prefix-a", 3);
  const b = await tenantWithApps("prefix-b", 1);
  const target = a.apps[1]!;
  for (const length of [8, 12, 32]) {
    const found = await listApplications(a.tenant.id, { q: target.clientId.slice(0, length) });
    assert.deepEqual(
      found.items.map((x) => x.id),
      [target.id],
      `${length} characters`,
    );
  }
  assert.equal((await listApplications(a.tenant.id, { q: target.clientId.slice(0, 7) })).total, 0);
  assert.equal((await listApplications(a.tenant.id, { q: b.apps[0]!.clientId.slice(0, 10) })).total, 0, "another tenant's client id");
  // LIKE's wildcards are text here, not patterns.
  assert.equal((await listApplications(a.tenant.id, { q: "%%%%%%%%" })).total, 0);
  assert.equal((await listApplications(a.tenant.id, { q: "________" })).total, 0);
});

test("Logs name their targets: today's name, the last recorded name of a deleted one, and nothing for another tenant's id", async () => {
  const a = await tenantWithApps("names-a", 2);
  const b = await tenantWithApps("names-b", 1);
  await updateApplication(a.tenant.id, a.apps[0]!.id, { name: "Renamed" }, SYSTEM_ACTOR);
  await updateApplication(a.tenant.id, a.apps[1]!.id, { name: "Gone soon" }, SYSTEM_ACTOR);
  await deleteApplication(a.tenant.id, a.apps[1]!.id, SYSTEM_ACTOR);
  const events = await db.auditEvent.findMany({ where: { tenantId: a.tenant.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const forged = { action: "application.update", targetType: "application", targetId: b.apps[0]!.id, before: null, after: null };
  const names = await auditTargetNames(a.tenant.id, [...events, forged]);
  assert.equal(names.get(`application:${a.apps[0]!.id}`), "Renamed");
  assert.equal(names.get(`application:${a.apps[1]!.id}`), "Gone soon");
  assert.equal(names.get(`api:${a.api.id}`), "Orders");
  assert.equal(names.get(`application:${b.apps[0]!.id}`), undefined, "another tenant's application is not named");
});

test("a name with % or _ is found by those characters as text", async () => {
  const tenant = await createTenant({ slug: slug("like") }, SYSTEM_ACTOR);
  await createApplication(tenant.id, { name: "Plain app" }, SYSTEM_ACTOR);
  const { application } = await createApplication(tenant.id, { name: "Sales 100% sync_job" }, SYSTEM_ACTOR);
  for (const q of ["100%", "sync_job", "% s"]) {
    assert.deepEqual(
      (await listApplications(tenant.id, { q })).items.map((a) => a.id),
      [application.id],
      q,
    );
  }
  assert.equal((await listApplications(tenant.id, { q: "%" })).total, 1);
});

test("a URL's odd page and query (page 1e21, 0, NaN; q given twice) list a page, never an error", async () => {
  const tenant = await createTenant({ slug: `odd-${randomBytes(4).toString("hex")}` }, SYSTEM_ACTOR);
  await createApplication(tenant.id, { name: "Only one" }, SYSTEM_ACTOR);
  const api = await createApi(tenant.id, { name: "Orders", identifier: `https://odd-${randomBytes(4).toString("hex")}.example.com` }, SYSTEM_ACTOR);
  for (const page of [1e21, 0, -3, Number.NaN]) {
    const listed = await listApplications(tenant.id, { page });
    assert.equal(listed.total, 1, String(page));
    assert.ok(listed.page >= 1 && listed.page <= 1_000_000, String(page));
    assert.ok((await listApplicationsForApi(tenant.id, api.id, { page })).total >= 1, String(page));
  }
  // Next hands a repeated parameter over as an array.
  const twice = await listApplications(tenant.id, { q: ["Only", "one"] as unknown as string });
  assert.equal(twice.total, 1);
});
