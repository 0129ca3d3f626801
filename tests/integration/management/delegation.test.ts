// The delegation ceiling: nobody hands out more Management API authority than
// they hold. Each escalation path found by an attacker is tried here over real
// HTTP — through the Management API with real tokens, and through the
// dashboard's server actions with a real admin session — and must be refused
// with nothing changed and the refusal in the audit trail.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { hashPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { updateApplication } from "@/lib/domain/applications";
import { setGrant } from "@/lib/domain/grants";
import { acceptInvitation, createInvitation } from "@/lib/domain/invitations";
import { changeMemberRole } from "@/lib/domain/members";
import { invoke, signIn } from "../helpers/server-action";
import { ALL_SCOPES, call, mintToken, requestToken, seedClient, seedTenant, type Client, type Tenant } from "./support";

after(() => db.$disconnect());

const PASSWORD = "a long enough password";

/** A user with a password, made a member of `tenant` with `role` directly in the database. */
async function seedMember(tenant: Tenant, role: "owner" | "admin" | "viewer") {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.com`;
  const user = await db.user.create({ data: { email, name: role, passwordHash: await hashPassword(PASSWORD) } });
  await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role } });
  return { id: user.id, email };
}

async function roleOf(tenant: Tenant, userId: string) {
  return (await db.membership.findFirst({ where: { tenantId: tenant.id, userId } }))?.role;
}

async function grantScopes(tenant: Tenant, client: Client) {
  const grant = await db.grant.findFirst({
    where: { tenantId: tenant.id, applicationId: client.id, apiId: tenant.managementApiId },
    include: { scopes: { include: { scope: true } } },
  });
  return grant ? grant.scopes.map((s) => s.scope.name).sort() : null;
}

async function refusals(tenant: Tenant, action: string) {
  return db.auditEvent.findMany({ where: { tenantId: tenant.id, action }, orderBy: { createdAt: "asc" } });
}

/** A token of `client` carrying exactly the scopes of its grant. */
async function tokenOf(tenant: Tenant, client: Client, scopes: string[]) {
  return mintToken(tenant, client, { scope: scopes.join(" ") });
}

const NON_OWNER = ALL_SCOPES.filter((s) => !/:users$/.test(s) && s !== "update:tenant" && s !== "rotate:keys");

describe("the Management API refuses delegation beyond the caller's token", () => {
  let tenant: Tenant;
  let owner: { id: string; email: string };
  before(async () => {
    tenant = await seedTenant("ceiling");
    owner = await seedMember(tenant, "owner");
  });

  it("update:grants cannot add create:users to its own grant, and the refusal is audited", async () => {
    const client = await seedClient(tenant, ["update:grants", "read:grants"]);
    const grant = await db.grant.findFirstOrThrow({ where: { applicationId: client.id } });
    const token = await tokenOf(tenant, client, ["update:grants", "read:grants"]);
    const res = await call(tenant, "PATCH", `/grants/${grant.id}`, { token, body: { scopes: ["update:grants", "read:grants", "create:users"] } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "insufficient_scope");
    assert.match(res.body.error.details.scopes, /create:users/);
    assert.deepEqual(await grantScopes(tenant, client), ["read:grants", "update:grants"]);
    const [event] = await refusals(tenant, "grant.update.refused");
    assert.ok(event, "the refusal is in the audit trail");
    assert.equal(event.actorId, client.clientId);
    assert.deepEqual((event.after as { beyondCeiling: string[] }).beyondCeiling, ["create:users"]);
    // Within the ceiling it still works: dropping a scope, keeping the rest.
    const ok = await call(tenant, "PATCH", `/grants/${grant.id}`, { token, body: { scopes: ["update:grants"] } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it("create:grants cannot grant another application a scope it does not hold; the scopes it holds it can", async () => {
    const client = await seedClient(tenant, ["create:grants", "read:applications"]);
    const target = await seedClient(tenant, null, "target");
    const token = await tokenOf(tenant, client, ["create:grants", "read:applications"]);
    const refused = await call(tenant, "POST", "/grants", {
      token,
      body: { application_id: target.id, api_id: tenant.managementApiId, scopes: ["read:applications", "rotate:keys"] },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "insufficient_scope");
    assert.equal(await grantScopes(tenant, target), null, "no grant was created");
    const ok = await call(tenant, "POST", "/grants", {
      token,
      body: { application_id: target.id, api_id: tenant.managementApiId, scopes: ["read:applications"] },
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  it("a token holding fewer scopes than its grant is bound by the token, not the grant", async () => {
    const client = await seedClient(tenant, ["create:grants", "read:keys"]);
    const target = await seedClient(tenant, null, "target");
    const token = await tokenOf(tenant, client, ["create:grants"]);
    const res = await call(tenant, "POST", "/grants", { token, body: { application_id: target.id, api_id: tenant.managementApiId, scopes: ["read:keys"] } });
    assert.equal(res.status, 403);
  });

  it("extending a grant's life hands out its scopes again: refused unless all are held", async () => {
    const client = await seedClient(tenant, ["update:grants"]);
    const target = await seedClient(tenant, ["rotate:keys"], "expiring");
    const grant = await db.grant.findFirstOrThrow({ where: { applicationId: target.id } });
    await db.grant.update({ where: { id: grant.id }, data: { expiresAt: new Date(Date.now() + 3600_000) } });
    const token = await tokenOf(tenant, client, ["update:grants"]);
    const never = await call(tenant, "PATCH", `/grants/${grant.id}`, { token, body: { expires_at: null } });
    assert.equal(never.status, 403, JSON.stringify(never.body));
    const later = await call(tenant, "PATCH", `/grants/${grant.id}`, { token, body: { expires_at: new Date(Date.now() + 30 * 86400_000).toISOString() } });
    assert.equal(later.status, 403, JSON.stringify(later.body));
    const sooner = await call(tenant, "PATCH", `/grants/${grant.id}`, { token, body: { expires_at: new Date(Date.now() + 600_000).toISOString() } });
    assert.equal(sooner.status, 200, "shortening gives nothing away");
  });

  it("update:applications cannot mint a secret for an application that holds every scope", async () => {
    const client = await seedClient(tenant, ["update:applications", "read:applications"]);
    const mighty = await seedClient(tenant, ALL_SCOPES, "mighty");
    const plain = await seedClient(tenant, null, "plain");
    const token = await tokenOf(tenant, client, ["update:applications", "read:applications"]);
    const before = await db.clientSecret.count({ where: { applicationId: mighty.id } });
    const res = await call(tenant, "POST", `/applications/${mighty.id}/secrets`, { token, body: {} });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "insufficient_scope");
    assert.equal(await db.clientSecret.count({ where: { applicationId: mighty.id } }), before, "no secret was created");
    assert.equal((await refusals(tenant, "secret.create.refused")).length, 1);
    const ok = await call(tenant, "POST", `/applications/${plain.id}/secrets`, { token, body: {} });
    assert.equal(ok.status, 201, "an application without Management API scopes gets its secret");
  });

  it("update:applications cannot add a public key to an application that holds every scope (a key is a credential too)", async () => {
    const client = await seedClient(tenant, ["update:applications"]);
    const mighty = await seedClient(tenant, ALL_SCOPES, "mighty-keys");
    const token = await tokenOf(tenant, client, ["update:applications"]);
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const res = await call(tenant, "POST", `/applications/${mighty.id}/keys`, { token, body: { name: "mine now", public_key: jwk } });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "insufficient_scope");
    assert.equal(await db.clientKey.count({ where: { applicationId: mighty.id } }), 0, "no key was added");
    assert.equal((await refusals(tenant, "key.create.refused")).length, 1);
  });

  it("update:applications cannot turn a disabled all-scope application back on", async () => {
    const client = await seedClient(tenant, ["update:applications"]);
    const mighty = await seedClient(tenant, ALL_SCOPES, "disabled mighty");
    await updateApplication(tenant.id, mighty.id, { enabled: false }, SYSTEM_ACTOR);
    const token = await tokenOf(tenant, client, ["update:applications"]);
    const res = await call(tenant, "PATCH", `/applications/${mighty.id}`, { token, body: { enabled: true } });
    assert.equal(res.status, 403);
    assert.equal((await db.application.findUniqueOrThrow({ where: { id: mighty.id } })).enabled, false);
    const rename = await call(tenant, "PATCH", `/applications/${mighty.id}`, { token, body: { name: "renamed" } });
    assert.equal(rename.status, 200, "other changes are not delegation");
  });

  it("update:users without the owner's ceiling cannot make anyone owner, nor demote an owner", async () => {
    const client = await seedClient(tenant, [...NON_OWNER, "update:users", "read:users"]);
    const token = await tokenOf(tenant, client, [...NON_OWNER, "update:users", "read:users"]);
    const admin = await seedMember(tenant, "admin");
    const viewer = await seedMember(tenant, "viewer");
    await seedMember(tenant, "owner"); // so that demoting `owner` is not refused as the last owner's
    const promote = await call(tenant, "PATCH", `/users/${admin.id}`, { token, body: { role: "owner" } });
    assert.equal(promote.status, 403);
    assert.equal(promote.body.error.code, "insufficient_scope");
    assert.equal(await roleOf(tenant, admin.id), "admin");
    const demote = await call(tenant, "PATCH", `/users/${owner.id}`, { token, body: { role: "viewer" } });
    assert.equal(demote.status, 403);
    assert.equal(await roleOf(tenant, owner.id), "owner");
    // The admin role's ceiling (no *:users, update:tenant, rotate:keys) lies within this token: that it may confer.
    const toAdmin = await call(tenant, "PATCH", `/users/${viewer.id}`, { token, body: { role: "admin" } });
    assert.equal(toAdmin.status, 200, JSON.stringify(toAdmin.body));
  });

  it("create:users cannot invite an owner unless the token holds every scope", async () => {
    const client = await seedClient(tenant, ["create:users", "read:users"]);
    const token = await tokenOf(tenant, client, ["create:users", "read:users"]);
    const email = `new-${randomBytes(4).toString("hex")}@example.com`;
    const res = await call(tenant, "POST", "/invitations", { token, body: { email, role: "owner" } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "insufficient_scope");
    assert.equal(await db.accountLink.count({ where: { tenantId: tenant.id, email } }), 0, "no invitation was created");
    assert.equal((await refusals(tenant, "invitation.create.refused")).length, 1);
    const viewer = await call(tenant, "POST", "/invitations", { token, body: { email, role: "viewer" } });
    assert.equal(viewer.status, 201, "a viewer holds nothing: anyone who may invite may invite one");
  });

  it("a reset link hands over the account: not for an owner beyond the token's ceiling, nor for a member of another tenant", async () => {
    const client = await seedClient(tenant, [...NON_OWNER, "update:users", "read:users"]);
    const token = await tokenOf(tenant, client, [...NON_OWNER, "update:users", "read:users"]);
    const ownerLink = await call(tenant, "POST", `/users/${owner.id}/reset-link`, { token });
    assert.equal(ownerLink.status, 403);
    assert.equal(ownerLink.body.error.code, "insufficient_scope");
    assert.equal(await db.accountLink.count({ where: { kind: "reset", userId: owner.id } }), 0, "no link was created");
    assert.equal((await refusals(tenant, "account.reset_link.refused")).length, 1);

    // A viewer of this tenant who is also an owner elsewhere: a reset link here would take over the other tenant.
    const elsewhere = await seedTenant("ceiling-other");
    const shared = await seedMember(tenant, "viewer");
    await db.membership.create({ data: { tenantId: elsewhere.id, userId: shared.id, role: "owner" } });
    const full = await seedClient(tenant, ALL_SCOPES);
    const fullToken = await tokenOf(tenant, full, ALL_SCOPES);
    const sharedLink = await call(tenant, "POST", `/users/${shared.id}/reset-link`, { token: fullToken });
    assert.equal(sharedLink.status, 403);
    assert.match(sharedLink.body.error.message, /also belongs to other tenants/);
    assert.equal(await db.accountLink.count({ where: { kind: "reset", userId: shared.id } }), 0);

    const single = await seedMember(tenant, "viewer");
    const ok = await call(tenant, "POST", `/users/${single.id}/reset-link`, { token });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.match(ok.body.url, /\/reset\//);
  });

  it("an outstanding reset link ends when its member is promoted or joins another tenant", async () => {
    const client = await seedClient(tenant, [...NON_OWNER, "update:users", "read:users"]);
    const token = await tokenOf(tenant, client, [...NON_OWNER, "update:users", "read:users"]);
    const promoted = await seedMember(tenant, "viewer");
    assert.equal((await call(tenant, "POST", `/users/${promoted.id}/reset-link`, { token })).status, 201);
    await changeMemberRole(tenant.id, promoted.id, { role: "owner" }, SYSTEM_ACTOR);
    assert.equal(await db.accountLink.count({ where: { kind: "reset", userId: promoted.id, revokedAt: null } }), 0, "the promotion revoked it");

    const joining = await seedMember(tenant, "viewer");
    assert.equal((await call(tenant, "POST", `/users/${joining.id}/reset-link`, { token })).status, 201);
    const other = await seedTenant("ceiling-join");
    const invitation = await createInvitation(other.id, { email: joining.email, role: "owner" }, SYSTEM_ACTOR);
    await acceptInvitation(invitation.url.slice(invitation.url.lastIndexOf("/") + 1), { signedInUserId: joining.id });
    assert.equal(await db.accountLink.count({ where: { kind: "reset", userId: joining.id, revokedAt: null } }), 0, "joining another tenant revoked it");
  });

  it("a real token from the token endpoint is bound the same way", async () => {
    const client = await seedClient(tenant, ["update:grants"]);
    const token = await requestToken(tenant, client);
    const grant = await db.grant.findFirstOrThrow({ where: { applicationId: client.id } });
    const res = await call(tenant, "PATCH", `/grants/${grant.id}`, { token, body: { scopes: ALL_SCOPES } });
    assert.equal(res.status, 403);
    assert.deepEqual(await grantScopes(tenant, client), ["update:grants"]);
  });
});

describe("the dashboard refuses delegation beyond the member's role", () => {
  let tenant: Tenant;
  let admin: { id: string; email: string };
  let cookie: string;
  before(async () => {
    tenant = await seedTenant("ceiling-ui");
    admin = await seedMember(tenant, "admin");
    cookie = await signIn(admin.email, PASSWORD);
  });
  const path = () => `/dashboard/${tenant.slug}/applications`;

  it("an admin cannot grant an application update:users (the first step to making themselves owner)", async () => {
    const app = await seedClient(tenant, null, "admin's app");
    const reply = await invoke(
      "setGrantAction",
      [tenant.slug, { application_id: app.id, api_id: tenant.managementApiId, scopes: ["update:users"] }],
      path(),
      cookie,
    );
    assert.equal(reply.outcome.kind, "result");
    assert.ok(reply.outcome.kind === "result" && !reply.outcome.ok, "refused");
    assert.match(reply.outcome.message, /more authority than you hold/);
    assert.equal(await grantScopes(tenant, app), null);
    const [event] = await refusals(tenant, "grant.create.refused");
    assert.equal(event?.actorId, admin.id);
  });

  it("an admin cannot grant rotate:keys or update:tenant, but can grant what an admin holds", async () => {
    const app = await seedClient(tenant, null, "admin's other app");
    for (const scope of ["rotate:keys", "update:tenant", "read:users"]) {
      const reply = await invoke("setGrantAction", [tenant.slug, { application_id: app.id, api_id: tenant.managementApiId, scopes: [scope] }], path(), cookie);
      assert.ok(reply.outcome.kind === "result" && !reply.outcome.ok, `${scope} refused`);
    }
    const ok = await invoke(
      "setGrantAction",
      [tenant.slug, { application_id: app.id, api_id: tenant.managementApiId, scopes: ["read:applications", "update:grants"] }],
      path(),
      cookie,
    );
    assert.ok(ok.outcome.kind === "result" && ok.outcome.ok, JSON.stringify(ok.outcome));
    assert.deepEqual(await grantScopes(tenant, app), ["read:applications", "update:grants"]);
  });

  it("an admin cannot mint a secret for an application an owner granted update:users", async () => {
    const app = await seedClient(tenant, null, "owner's app");
    await setGrant(tenant.id, { application_id: app.id, api_id: tenant.managementApiId, scopes: ["update:users"] }, SYSTEM_ACTOR);
    const before = await db.clientSecret.count({ where: { applicationId: app.id } });
    const form = new FormData();
    const reply = await invoke("addSecretAction", [tenant.slug, app.id, null, form], path(), cookie);
    assert.ok(reply.outcome.kind === "result" && !reply.outcome.ok, JSON.stringify(reply.outcome));
    assert.equal(await db.clientSecret.count({ where: { applicationId: app.id } }), before);
  });
});
