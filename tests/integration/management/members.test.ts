// tenant (read, rename), invitations and users (change role, remove): the dashboard's
// settings changes through the Management API, with the dashboard's rules and
// audit trail.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { acceptInvitation } from "@/lib/domain/invitations";
import { addMember, tokenOf } from "../helpers/members";
import { adminSession, call, randomSlug, type Client, type Tenant } from "./support";

after(() => db.$disconnect());

const PASSWORD = "a long enough password";

const addMemberFromLink = (url: string, newAccount: { password: string; name?: string }) => acceptInvitation(tokenOf(url), { newAccount });

describe("tenant settings and members", () => {
  let tenant: Tenant;
  let client: Client;
  let token: string;
  before(async () => ({ tenant, client, token } = await adminSession("members")));

  const lastEvent = async (action: string) => (await call(tenant, "GET", `/logs?action=${action}`, { token })).body[0];

  it("PATCH /tenant renames it; GET /tenant shows it; the change is audited with the client", async () => {
    const before = await call(tenant, "GET", "/tenant", { token });
    assert.equal(before.status, 200);
    assert.deepEqual(Object.keys(before.body).sort(), ["created_at", "id", "issuer", "name", "slug"]);
    assert.equal(before.body.issuer, tenant.issuer);
    const renamed = await call(tenant, "PATCH", "/tenant", { token, body: { name: "  Acme Corp  " } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, "Acme Corp");
    assert.equal((await call(tenant, "GET", "/tenant", { token })).body.name, "Acme Corp");
    const event = await lastEvent("tenant.update");
    assert.deepEqual(
      [event.actor.type, event.actor.id, event.before, event.after],
      ["client", client.clientId, { name: before.body.name }, { name: "Acme Corp" }],
    );

    const bad = await call(tenant, "PATCH", "/tenant", { token, body: { name: "", slug: "other" } });
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.body.error.details).sort(), ["name", "slug"]);
  });

  it("POST /invitations invites (no password anywhere); the accepted member is listed by GET /users, the join audited", async () => {
    const email = `${randomSlug("grace")}@example.com`;
    const created = await call(tenant, "POST", "/invitations", { token, body: { email: email.toUpperCase(), role: "admin" } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(Object.keys(created.body).sort(), ["created_at", "email", "expires_at", "id", "role", "url"]);
    assert.deepEqual([created.body.email, created.body.role], [email, "admin"]);
    const member = await addMemberFromLink(created.body.url, { password: PASSWORD, name: "Grace" });
    const list = await call(tenant, "GET", "/users", { token });
    const listed = list.body.find((u: { id: string }) => u.id === member.userId);
    assert.deepEqual([listed.email, listed.role, listed.name], [email, "admin", "Grace"]);
    const invited = await lastEvent("invitation.create");
    assert.deepEqual([invited.actor.id, invited.target.id, invited.after.email, invited.after.role], [client.clientId, created.body.id, email, "admin"]);
    const accepted = await lastEvent("invitation.accept");
    assert.deepEqual([accepted.actor.id, accepted.after.email, accepted.after.role], [member.userId, email, "admin"]);
    assert.doesNotMatch(JSON.stringify([list.body, invited, accepted]), new RegExp(`${PASSWORD}|scrypt|password`, "i"));

    const again = await call(tenant, "POST", "/invitations", { token, body: { email, role: "viewer" } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.details.email, "Already a member");
    const invalid = await call(tenant, "POST", "/invitations", { token, body: { email: "nope", role: "king", password: "short" } });
    assert.equal(invalid.status, 422);
    assert.deepEqual(Object.keys(invalid.body.error.details).sort(), ["email", "password", "role"]);
    assert.equal(
      (await call(tenant, "POST", "/users", { token, body: { email, role: "viewer", password: PASSWORD } })).status,
      405,
      "adding members directly is gone",
    );
  });

  it("an existing user joins only by accepting while signed in, and keeps their password", async () => {
    const other = await adminSession("members-other");
    const email = `${randomSlug("shared")}@example.com`;
    const user = await addMember(other.tenant.id, { email, role: "viewer", password: PASSWORD });
    const hash = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    const created = await call(tenant, "POST", "/invitations", { token, body: { email, role: "viewer" } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await call(tenant, "GET", `/users/${user.id}`, { token })).status, 404, "not a member before accepting");
    await assert.rejects(addMemberFromLink(created.body.url, { password: "an attacker's password" }), /Sign in to accept/);
    await acceptInvitation(tokenOf(created.body.url), { signedInUserId: user.id });
    assert.equal((await call(tenant, "GET", `/users/${user.id}`, { token })).body.role, "viewer");
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, hash);
  });

  it("PATCH /users/{id} changes the role; the last owner cannot be demoted or removed (409)", async () => {
    const owner = { body: await addMember(tenant.id, { email: `${randomSlug("owner")}@example.com`, role: "owner", password: PASSWORD }) };
    const id = owner.body.id;
    for (const res of [
      await call(tenant, "PATCH", `/users/${id}`, { token, body: { role: "viewer" } }),
      await call(tenant, "DELETE", `/users/${id}`, { token }),
    ]) {
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.deepEqual(res.body.error, {
        code: "conflict",
        message: "The last owner of a tenant cannot be removed or demoted",
        details: { role: "The tenant needs at least one owner" },
      });
    }
    assert.equal((await call(tenant, "GET", `/users/${id}`, { token })).body.role, "owner");

    const member = await addMember(tenant.id, { email: `${randomSlug("m")}@example.com`, role: "viewer", password: PASSWORD });
    const promoted = await call(tenant, "PATCH", `/users/${member.id}`, { token, body: { role: "owner" } });
    assert.equal(promoted.status, 200);
    assert.equal(promoted.body.role, "owner");
    const event = await lastEvent("member.update");
    assert.deepEqual([event.actor.id, event.target.id, event.before, event.after], [client.clientId, member.id, { role: "viewer" }, { role: "owner" }]);
    // Two owners now: either may step down.
    assert.equal((await call(tenant, "PATCH", `/users/${id}`, { token, body: { role: "admin" } })).body.role, "admin");
    assert.equal((await call(tenant, "PATCH", `/users/${member.id}`, { token, body: { role: "boss" } })).status, 422);
    assert.equal((await call(tenant, "PATCH", `/users/${member.id}`, { token, body: {} })).status, 422);
    assert.equal((await call(tenant, "PATCH", "/users/nobody", { token, body: { role: "admin" } })).status, 404);
  });

  it("DELETE /users/{id} removes the member, not the user", async () => {
    const member = await addMember(tenant.id, { email: `${randomSlug("gone")}@example.com`, role: "admin", password: PASSWORD });
    const removed = await call(tenant, "DELETE", `/users/${member.id}`, { token });
    assert.equal(removed.status, 204);
    assert.equal((await call(tenant, "GET", `/users/${member.id}`, { token })).status, 404);
    assert.ok(!(await call(tenant, "GET", "/users", { token })).body.some((u: { id: string }) => u.id === member.id));
    assert.ok(await db.user.findUnique({ where: { id: member.id } }), "the account stays");
    const event = await lastEvent("member.delete");
    assert.deepEqual([event.actor.id, event.target.id, event.before], [client.clientId, member.id, { role: "admin" }]);
    assert.equal((await call(tenant, "DELETE", `/users/${member.id}`, { token })).status, 404);
  });

  it("a change that changes nothing writes no audit event", async () => {
    const count = async () => Number((await call(tenant, "GET", "/logs?per_page=1", { token })).headers.get("x-total-count"));
    const name = (await call(tenant, "GET", "/tenant", { token })).body.name as string;
    const member = await addMember(tenant.id, { email: `${randomSlug("same")}@example.com`, role: "admin", password: PASSWORD });
    const before = await count();
    assert.equal((await call(tenant, "PATCH", "/tenant", { token, body: { name } })).status, 200);
    assert.equal((await call(tenant, "PATCH", "/tenant", { token, body: {} })).status, 200);
    assert.equal((await call(tenant, "PATCH", `/users/${member.id}`, { token, body: { role: "admin" } })).status, 200);
    assert.equal(await count(), before);
  });
});
