// Two-factor sign-in over real HTTP against the running server: the password
// alone never yields a session once TOTP is on; wrong, replayed and foreign
// codes are refused; recovery codes work once; attempts are limited; disabling
// needs proof; a tenant that requires 2FA sends an un-enrolled member to enrol.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { Secret, TOTP } from "otpauth";
import { hashPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { roleCeiling } from "@/lib/domain/ceiling";
import { setRequireTwoFactor } from "@/lib/domain/mfa-policy";
import { regenerateRecoveryCodes } from "@/lib/domain/mfa-recovery";
import { confirmTotpEnrolment, disableTwoFactor, hasTwoFactor, reencryptTotpSecrets, startTotpEnrolment, verifyTotpCode } from "@/lib/domain/mfa-totp";
import { decryptSecret, generateEncryptionKey, parseEncryptionKey } from "@/lib/crypto";
import { createTenant } from "@/lib/domain/tenants";

const BASE = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
if (!BASE) throw new Error("GRANTRY_TEST_URL must point at a running Grantry server");
const PASSWORD = "a long enough password";

after(() => db.$disconnect());

type Jar = Map<string, string>;
const header = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
function keep(jar: Jar, res: Response) {
  for (const c of res.headers.getSetCookie()) {
    const [k, v] = c.split(";")[0]!.split(/=(.*)/s);
    jar.set(k!, v ?? "");
  }
}

/** One POST to a credentials provider's callback; the error next-auth reports ("none" for success) and the cookies. */
async function callback(provider: string, fields: Record<string, string>, jar: Jar = new Map()): Promise<{ error: string; jar: Jar }> {
  const csrfRes = await fetch(`${BASE}/api/auth/csrf`, { headers: { cookie: header(jar) } });
  keep(jar, csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${BASE}/api/auth/callback/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(jar), "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ csrfToken, ...fields, json: "true" }),
    redirect: "manual",
  });
  keep(jar, res);
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  return { error: new URL(location, BASE).searchParams.get("error") ?? "none", jar };
}

async function sessionEmail(jar: Jar): Promise<string | undefined> {
  const body = (await (await fetch(`${BASE}/api/auth/session`, { headers: { cookie: header(jar) } })).json()) as { user?: { email?: string } };
  return body.user?.email;
}

/** The password step: the ticket when a second factor is due. */
async function passwordStep(email: string, password = PASSWORD) {
  const { error, jar } = await callback("credentials", { email, password });
  const ticket = error.startsWith("SecondFactor:") ? error.slice("SecondFactor:".length) : null;
  return { error, jar, ticket };
}

async function newUser(prefix: string) {
  const email = `${prefix}-${randomBytes(4).toString("hex")}@example.com`;
  const user = await db.user.create({ data: { email, passwordHash: await hashPassword(PASSWORD) } });
  const tenant = await createTenant({ slug: `${prefix}-${randomBytes(3).toString("hex")}`, name: prefix }, SYSTEM_ACTOR, user.id);
  return { ...user, tenant };
}

/**
 * Turns TOTP on with the previous step's code (one step of drift is allowed),
 * so the current step's code is still fresh for the sign-in that follows.
 */
async function enrol(userId: string) {
  const { secret } = await startTotpEnrolment(userId, { password: PASSWORD });
  const totp = new TOTP({ secret: Secret.fromBase32(secret) });
  const codeAt = (offsetSteps: number) => totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
  const recoveryCodes = await confirmTotpEnrolment(userId, codeAt(-1));
  return { codeAt, recoveryCodes };
}

test("with TOTP on, the right password alone gives no session; the right code then does, once", async () => {
  const user = await newUser("mfa-a");
  const { codeAt } = await enrol(user.id);

  const first = await passwordStep(user.email);
  assert.ok(first.ticket, `expected a second-factor ticket, got ${first.error}`);
  assert.equal(await sessionEmail(first.jar), undefined, "no session after the password step");
  const dash = await fetch(`${BASE}/dashboard/${user.tenant.slug}/applications`, { headers: { cookie: header(first.jar) }, redirect: "manual" });
  assert.ok(
    [302, 303, 307].includes(dash.status) && /\/login/.test(dash.headers.get("location") ?? ""),
    `dashboard without the second step: ${dash.status} ${dash.headers.get("location")}`,
  );

  const wrongCode = String((Number(codeAt(0)) + 1) % 1_000_000).padStart(6, "0");
  const wrong = await callback("second-factor", { ticket: first.ticket, code: wrongCode });
  assert.equal(wrong.error, "CredentialsSignin");
  assert.equal(await sessionEmail(wrong.jar), undefined);

  const code = codeAt(0);
  const ok = await callback("second-factor", { ticket: first.ticket, code });
  assert.equal(ok.error, "none");
  assert.equal(await sessionEmail(ok.jar), user.email);
  const page = await fetch(`${BASE}/dashboard/${user.tenant.slug}/applications`, { headers: { cookie: header(ok.jar) }, redirect: "manual" });
  assert.equal(page.status, 200);

  // The same code again, even with a fresh password step: refused (no replay within its window).
  const again = await passwordStep(user.email);
  const replay = await callback("second-factor", { ticket: again.ticket!, code });
  assert.equal(replay.error, "CredentialsSignin", "a used code is refused");
  assert.equal(await sessionEmail(replay.jar), undefined);
  // An older step's code is refused too; the next step's is still accepted (clock drift).
  assert.equal((await callback("second-factor", { ticket: again.ticket!, code: codeAt(-1) })).error, "CredentialsSignin");
  assert.equal((await callback("second-factor", { ticket: again.ticket!, code: codeAt(1) })).error, "none");
});

test("the wrong password with TOTP on gives no ticket; a forged, foreign or missing ticket gives no session", async () => {
  const alice = await newUser("mfa-b");
  const mallory = await newUser("mfa-m");
  const aliceTotp = await enrol(alice.id);
  await enrol(mallory.id);

  const wrong = await passwordStep(alice.email, "not the password at all");
  assert.equal(wrong.error, "CredentialsSignin");
  assert.equal(wrong.ticket, null);

  // Mallory's own ticket with Alice's code: checked against Mallory's secret, refused, and Mallory gets no session.
  const malloryTicket = (await passwordStep(mallory.email)).ticket!;
  const swapped = await callback("second-factor", { ticket: malloryTicket, code: aliceTotp.codeAt(0) });
  assert.notEqual(await sessionEmail(swapped.jar), alice.email);
  for (const ticket of [
    "",
    "junk",
    `${malloryTicket}x`,
    malloryTicket.replace(
      /\.[^.]+\./,
      `.${Buffer.from(JSON.stringify({ purpose: "grantry:second-factor", sub: alice.id, exp: 9999999999 })).toString("base64url")}.`,
    ),
  ]) {
    const r = await callback("second-factor", { ticket, code: aliceTotp.codeAt(0) });
    assert.equal(r.error, "CredentialsSignin", `ticket ${ticket.slice(0, 20)}…`);
    assert.equal(await sessionEmail(r.jar), undefined);
  }
  assert.ok(await hasTwoFactor(alice.id));
});

test("each recovery code signs in once; a used one is refused; their use is in the audit trail", async () => {
  const user = await newUser("mfa-c");
  const { recoveryCodes } = await enrol(user.id);
  assert.equal(recoveryCodes.length, 10);
  assert.equal(new Set(recoveryCodes).size, 10);
  const stored = await db.recoveryCode.findMany({ where: { userId: user.id } });
  assert.equal(stored.length, 10);
  for (const code of recoveryCodes) assert.ok(!stored.some((s) => s.codeHash.includes(code) || s.codeHash === code), "stored hashed, never in plain");
  const totp = await db.userTotp.findUniqueOrThrow({ where: { userId: user.id } });
  assert.match(totp.secretSealed, /^v1\./, "the TOTP secret is sealed at rest");

  const code = recoveryCodes[3]!;
  const first = await callback("second-factor", { ticket: (await passwordStep(user.email)).ticket!, recoveryCode: code.toLowerCase() });
  assert.equal(first.error, "none");
  assert.equal(await sessionEmail(first.jar), user.email);
  const reuse = await callback("second-factor", { ticket: (await passwordStep(user.email)).ticket!, recoveryCode: code });
  assert.equal(reuse.error, "CredentialsSignin");
  assert.equal(await sessionEmail(reuse.jar), undefined);
  assert.equal(await db.recoveryCode.count({ where: { userId: user.id, usedAt: null } }), 9);
  const events = await db.auditEvent.findMany({ where: { tenantId: user.tenant.id, targetId: user.id }, orderBy: { createdAt: "asc" } });
  // One sign-in: the refused reuse (a right password, a spent code) signed nobody in.
  assert.deepEqual(
    events.map((e) => e.action),
    ["user.2fa_enabled", "user.recovery_code_used", "account.sign_in"],
  );
});

test("second-step attempts are limited per user: after five wrong codes even the right one is refused", async () => {
  const user = await newUser("mfa-d");
  const { codeAt } = await enrol(user.id);
  const ticket = (await passwordStep(user.email)).ticket!;
  const wrong = String((Number(codeAt(0)) + 500_000) % 1_000_000).padStart(6, "0");
  for (let i = 0; i < 5; i++) assert.equal((await callback("second-factor", { ticket, code: wrong })).error, "CredentialsSignin");
  const limited = await callback("second-factor", { ticket, code: codeAt(0) });
  assert.equal(limited.error, "TooManyCodes");
  assert.equal(await sessionEmail(limited.jar), undefined);
});

test("disabling needs a current code or the password; with either it is off and audited", async () => {
  const user = await newUser("mfa-e");
  const { codeAt } = await enrol(user.id);
  await assert.rejects(disableTwoFactor(user.id, {}), { code: "validation_failed" });
  await assert.rejects(disableTwoFactor(user.id, { password: "not the password at all" }), {
    code: "validation_failed",
    details: { password: "Enter a current code from your app, or your password" },
  });
  await assert.rejects(disableTwoFactor(user.id, { code: "000000" === codeAt(0) ? "111111" : "000000" }), { code: "validation_failed" });
  assert.ok(await hasTwoFactor(user.id), "still on after failed attempts");
  await disableTwoFactor(user.id, { code: codeAt(0) });
  assert.equal(await hasTwoFactor(user.id), false);
  assert.equal(await db.recoveryCode.count({ where: { userId: user.id } }), 0, "recovery codes go with it");
  const signIn = await passwordStep(user.email);
  assert.equal(signIn.error, "none", "the password alone signs in again");
  const actions = (await db.auditEvent.findMany({ where: { tenantId: user.tenant.id, targetId: user.id } })).map((e) => e.action).sort();
  assert.deepEqual(actions, ["account.sign_in", "user.2fa_disabled", "user.2fa_enabled"]);

  const other = await newUser("mfa-f");
  await enrol(other.id);
  await disableTwoFactor(other.id, { password: PASSWORD });
  assert.equal(await hasTwoFactor(other.id), false);
});

test("a tenant that requires 2FA sends an un-enrolled member to enrol, and lets them in once enrolled", async () => {
  const owner = await newUser("mfa-g");
  const member = await newUser("mfa-h");
  await db.membership.create({ data: { tenantId: owner.tenant.id, userId: member.id, role: "admin" } });
  const ownerActor = { type: "member" as const, id: owner.id, label: owner.email, ceiling: roleCeiling("owner") };
  await assert.rejects(setRequireTwoFactor(owner.tenant.id, true, ownerActor), {
    code: "conflict",
    message: "Turn on your own two-factor sign-in first (Account security)",
  });
  await assert.rejects(setRequireTwoFactor(owner.tenant.id, "yes", ownerActor), { code: "validation_failed" });
  await enrol(owner.id);
  await setRequireTwoFactor(owner.tenant.id, true, ownerActor);

  const { jar } = await passwordStep(member.email);
  assert.equal(await sessionEmail(jar), member.email, "no 2FA yet: the password signs in");
  for (const path of [`/dashboard/${owner.tenant.slug}/applications`, `/dashboard/${owner.tenant.slug}/settings`]) {
    const res = await fetch(`${BASE}${path}`, { headers: { cookie: header(jar) }, redirect: "manual" });
    assert.equal(res.status, 307, `${path} answers a redirect`);
    assert.equal(res.headers.get("location"), `/account/security?required=${owner.tenant.slug}`);
  }
  // Their own tenant, which does not require it, is still open.
  assert.equal((await fetch(`${BASE}/dashboard/${member.tenant.slug}/applications`, { headers: { cookie: header(jar) }, redirect: "manual" })).status, 200);
  assert.equal((await fetch(`${BASE}/account/security?required=${owner.tenant.slug}`, { headers: { cookie: header(jar) } })).status, 200);

  const { codeAt } = await enrol(member.id);
  const step = await passwordStep(member.email);
  const done = await callback("second-factor", { ticket: step.ticket!, code: codeAt(0) });
  assert.equal((await fetch(`${BASE}/dashboard/${owner.tenant.slug}/applications`, { headers: { cookie: header(done.jar) }, redirect: "manual" })).status, 200);
  const event = await db.auditEvent.findFirst({ where: { tenantId: owner.tenant.id, action: "tenant.require_2fa_changed" } });
  assert.deepEqual(event?.after, { requireTwoFactor: true });
});

test("rotating the encryption key re-seals TOTP secrets, which keep working under the new key", async () => {
  const user = await newUser("mfa-k");
  const { codeAt } = await enrol(user.id);
  const before = (await db.userTotp.findUniqueOrThrow({ where: { userId: user.id } })).secretSealed;
  const old = { key: process.env.GRANTRY_ENCRYPTION_KEY, previous: process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS };
  const fresh = generateEncryptionKey();
  try {
    process.env.GRANTRY_ENCRYPTION_KEY = fresh;
    process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS = old.key!;
    assert.ok((await reencryptTotpSecrets()) >= 1);
    const after = (await db.userTotp.findUniqueOrThrow({ where: { userId: user.id } })).secretSealed;
    assert.notEqual(after, before);
    assert.equal(decryptSecret(after, parseEncryptionKey(fresh)), decryptSecret(before, parseEncryptionKey(old.key!)));
    delete process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS;
    assert.equal(await verifyTotpCode(user.id, codeAt(0)), true, "the new key alone opens it");
  } finally {
    // Put every secret back under the server's key for the other tests.
    process.env.GRANTRY_ENCRYPTION_KEY = old.key!;
    process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS = fresh;
    await reencryptTotpSecrets();
    if (old.previous === undefined) delete process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS;
    else process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS = old.previous;
  }
});

test("new recovery codes need a current code; the old ones then stop working", async () => {
  const user = await newUser("mfa-r");
  const { codeAt, recoveryCodes } = await enrol(user.id);
  await assert.rejects(regenerateRecoveryCodes(user.id, "000000" === codeAt(0) ? "111111" : "000000"), {
    code: "validation_failed",
    details: { code: "Enter a current code from your app" },
  });
  await assert.rejects(regenerateRecoveryCodes(user.id, undefined), { code: "validation_failed" });
  const fresh = await regenerateRecoveryCodes(user.id, codeAt(0));
  assert.equal(fresh.length, 10);
  assert.equal(fresh.filter((c) => recoveryCodes.includes(c)).length, 0);
  const old = await callback("second-factor", { ticket: (await passwordStep(user.email)).ticket!, recoveryCode: recoveryCodes[0]! });
  assert.equal(old.error, "CredentialsSignin", "an old code no longer works");
  const now = await callback("second-factor", { ticket: (await passwordStep(user.email)).ticket!, recoveryCode: fresh[0]! });
  assert.equal(now.error, "none");
});
