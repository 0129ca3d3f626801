// Invitations through the Management API, tried as an attacker would: a used,
// expired or revoked link, a guessed one, another tenant's invitation, a token
// inviting beyond its own scopes, and answers that would tell whether an email
// has an account.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { roleCeiling } from "@/lib/domain/ceiling";
import { acceptInvitation } from "@/lib/domain/invitations";
import { addMember, tokenOf } from "../helpers/members";
import { ALL_SCOPES, TEST_URL, adminSession, call, mintToken, randomSlug, seedClient, type Tenant } from "./support";

after(() => db.$disconnect());

const PASSWORD = "a long enough password";
const email = (p: string) => `${randomSlug(p)}@example.com`;
const newAccount = { newAccount: { password: PASSWORD } };
const INVALID = /invalid, expired, revoked or already used/;

async function invitePage(url: string): Promise<string> {
  const res = await fetch(`${TEST_URL}/invite/${tokenOf(url)}`);
  assert.equal(res.status, 200);
  return res.text();
}

describe("invitations", () => {
  let tenant: Tenant;
  let token: string;
  before(async () => ({ tenant, token } = await adminSession("invite")));

  const invite = (body: unknown, t = token) => call(tenant, "POST", "/invitations", { token: t, body });

  it("an invitation works once: a second acceptance, and the page afterwards, find nothing", async () => {
    const created = await invite({ email: email("once"), role: "viewer" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.url, new RegExp(`^${TEST_URL}/invite/[A-Za-z0-9_-]{43}$`));
    assert.equal(Date.parse(created.body.expires_at) - Date.parse(created.body.created_at) > 6.9 * 86_400_000, true, "valid 7 days");
    assert.match(await invitePage(created.body.url), /Join /);
    const listed = await call(tenant, "GET", "/invitations", { token });
    assert.deepEqual(listed.body.map((i: { id: string }) => i.id).includes(created.body.id), true);
    assert.equal(JSON.stringify(listed.body).includes(tokenOf(created.body.url)), false, "the link is shown once");
    await acceptInvitation(tokenOf(created.body.url), newAccount);
    await assert.rejects(acceptInvitation(tokenOf(created.body.url), { newAccount: { password: "another long password" } }), INVALID);
    assert.match(await invitePage(created.body.url), INVALID);
    assert.equal(
      (await call(tenant, "GET", "/invitations", { token })).body.some((i: { id: string }) => i.id === created.body.id),
      false,
    );
    const stored = await db.accountLink.findUniqueOrThrow({ where: { id: created.body.id } });
    assert.equal(JSON.stringify(stored).includes(tokenOf(created.body.url)), false, "only a hash is stored");
  });

  it("an expired or revoked invitation is refused; revoking is audited", async () => {
    const expired = await invite({ email: email("late"), role: "viewer" });
    await db.accountLink.update({ where: { id: expired.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await assert.rejects(acceptInvitation(tokenOf(expired.body.url), newAccount), INVALID);
    const revoked = await invite({ email: email("revoked"), role: "admin" });
    assert.equal((await call(tenant, "DELETE", `/invitations/${revoked.body.id}`, { token })).status, 204);
    await assert.rejects(acceptInvitation(tokenOf(revoked.body.url), newAccount), INVALID);
    assert.match(await invitePage(revoked.body.url), INVALID);
    assert.equal((await call(tenant, "DELETE", `/invitations/${revoked.body.id}`, { token })).status, 404);
    const event = (await call(tenant, "GET", "/logs?action=invitation.revoke", { token })).body[0];
    assert.equal(event.target.id, revoked.body.id);
  });

  it("a guessed or malformed link finds nothing", async () => {
    for (const guess of [randomBytes(32).toString("base64url"), "x", "../../etc/passwd", "a".repeat(5000)]) {
      await assert.rejects(acceptInvitation(guess, newAccount), INVALID);
      const res = await fetch(`${TEST_URL}/invite/${encodeURIComponent(guess)}`);
      assert.ok(res.status === 200 || res.status === 404 || res.status === 414, `${res.status}`);
      if (res.status === 200) assert.match(await res.text(), INVALID);
    }
  });

  it("another tenant's invitation can be neither listed nor revoked", async () => {
    const other = await adminSession("invite-other");
    const theirs = await call(other.tenant, "POST", "/invitations", { token: other.token, body: { email: email("theirs"), role: "owner" } });
    assert.equal((await call(tenant, "DELETE", `/invitations/${theirs.body.id}`, { token })).status, 404);
    assert.equal(
      (await call(tenant, "GET", "/invitations", { token })).body.some((i: { id: string }) => i.id === theirs.body.id),
      false,
    );
    assert.equal((await db.accountLink.findUniqueOrThrow({ where: { id: theirs.body.id } })).revokedAt, null);
  });

  it("a token invites only within its own scopes: an admin's ceiling cannot invite an owner; read:users cannot invite", async () => {
    const adminLike = await seedClient(tenant, [...roleCeiling("admin"), "create:users"]);
    const adminToken = await mintToken(tenant, adminLike);
    const owner = await invite({ email: email("boss"), role: "owner" }, adminToken);
    assert.equal(owner.status, 403, JSON.stringify(owner.body));
    assert.equal(owner.body.url, undefined);
    const asViewer = await seedClient(tenant, ["read:users"]);
    const viewerToken = await mintToken(tenant, asViewer);
    assert.equal((await invite({ email: email("v"), role: "viewer" }, viewerToken)).status, 403);
    assert.equal((await call(tenant, "DELETE", `/invitations/x`, { token: viewerToken })).status, 403);
    const full = await seedClient(tenant, ALL_SCOPES);
    assert.equal((await invite({ email: email("boss"), role: "owner" }, await mintToken(tenant, full))).status, 201);
  });

  it("the answer is the same whether or not the email has an account, and an existing account keeps its password", async () => {
    const other = await adminSession("invite-exists");
    const existing = email("exists");
    const user = await addMember(other.tenant.id, { email: existing, role: "viewer", password: PASSWORD });
    const [a, b] = [await invite({ email: existing, role: "viewer" }), await invite({ email: email("fresh"), role: "viewer" })];
    assert.deepEqual([a.status, Object.keys(a.body).sort()], [b.status, Object.keys(b.body).sort()]);
    assert.equal(JSON.stringify(a.body).includes(user.id), false);
    const [pa, pb] = [await invitePage(a.body.url), await invitePage(b.body.url)];
    assert.equal(
      /Already use Grantry/.test(pa) && /Already use Grantry/.test(pb) && /Choose your password/.test(pa) && /Choose your password/.test(pb),
      true,
      "both choices on both pages",
    );
    const hash = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    await assert.rejects(acceptInvitation(tokenOf(a.body.url), { newAccount: { password: "the inviter's choice!" } }), /Sign in to accept/);
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, hash);
    const stranger = await addMember(other.tenant.id, { email: email("stranger"), role: "viewer", password: PASSWORD });
    await assert.rejects(acceptInvitation(tokenOf(a.body.url), { signedInUserId: stranger.id }), /for another email/);
    await acceptInvitation(tokenOf(a.body.url), { signedInUserId: user.id });
    assert.equal((await call(tenant, "GET", `/users/${user.id}`, { token })).body.role, "viewer");
  });
});
