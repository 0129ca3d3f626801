// Accounts only their owners control, over real HTTP sign-ins: a stranger's
// wrong passwords from another address do not lock the owner out; password
// changes, reset links and "sign out everywhere" end older sessions; sign-ins,
// failures and throttling are in the tenant's audit trail.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { encryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import {
  changeOwnPassword,
  createMemberResetLink,
  createOperatorResetLink,
  removeSecondFactorsByOperator,
  resetPassword,
  signOutEverywhere,
} from "@/lib/domain/passwords";
import { createTenant } from "@/lib/domain/tenants";
import { addMember, tokenOf } from "../helpers/members";

const BASE = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
const PASSWORD = "a long enough password";
const fresh = (p: string) => `${p}-${Math.random().toString(36).slice(2, 10)}@example.com`;

after(() => db.$disconnect());

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One HTTP request from a chosen local address (127.0.0.x are all this host). */
function request(method: string, path: string, options: { from?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const url = new URL(BASE + path);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: options.headers, localAddress: options.from ?? "127.0.0.1" },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const cookiesOf = (res: Res) => (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!);

/** Signs in (`headers`: more to send with each request); answers the error code (or "none") and the session cookie. */
async function signIn(email: string, password: string, from = "127.0.0.1", headers: Record<string, string> = {}): Promise<{ error: string; cookie: string }> {
  const csrf = await request("GET", "/api/auth/csrf", { from, headers });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await request("POST", "/api/auth/callback/credentials", {
    from,
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  const location = String(res.headers.location ?? (JSON.parse(res.body || "{}") as { url?: string }).url ?? "");
  const error = new URL(location, BASE).searchParams.get("error") ?? "none";
  return { error, cookie: [...cookiesOf(csrf), ...cookiesOf(res)].join("; ") };
}

async function sessionEmail(cookie: string): Promise<string | null> {
  const res = await request("GET", "/api/auth/session", { headers: { cookie } });
  return (JSON.parse(res.body || "{}") as { user?: { email?: string } }).user?.email ?? null;
}

let tenantId = "";
before(async () => {
  tenantId = (await createTenant({ slug: `acct-${Math.random().toString(36).slice(2, 8)}` }, SYSTEM_ACTOR)).id;
});

test("eleven wrong passwords from a stranger's address do not lock the owner out of their usual address", async () => {
  const email = fresh("owner");
  const owner = await addMember(tenantId, { email, role: "owner", password: PASSWORD });
  const first = await signIn(email, PASSWORD);
  assert.equal(first.error, "none");
  const strangers: string[] = [];
  for (let i = 0; i < 11; i++) strangers.push((await signIn(email, "wrong password 123", "127.0.0.2")).error);
  // The owner's own sign-in took one of the email's ten attempts.
  assert.deepEqual(strangers, [...Array(9).fill("CredentialsSignin"), "TooManyAttempts", "TooManyAttempts"], "the per-email stop applies to the stranger");
  assert.equal((await signIn(email, PASSWORD, "127.0.0.2")).error, "TooManyAttempts", "even with the right password, from an address never used");
  const mine = await signIn(email, PASSWORD);
  assert.equal(mine.error, "none", "the owner still signs in from their usual address");
  assert.equal(await sessionEmail(mine.cookie), email);

  const actions = (await db.auditEvent.findMany({ where: { tenantId, targetId: owner.id }, select: { action: true } })).map((e) => e.action);
  assert.ok(actions.filter((a) => a === "account.sign_in").length >= 2, actions.join());
  // Failure events are written after the answer (an unknown email answers as fast): wait for them.
  for (let i = 0; i < 50 && (await db.auditEvent.count({ where: { tenantId, targetId: owner.id, action: "account.sign_in_throttled" } })) < 3; i++)
    await new Promise((r) => setTimeout(r, 100));
  assert.equal(await db.auditEvent.count({ where: { tenantId, targetId: owner.id, action: "account.sign_in_failed" } }), 9);
  assert.equal(await db.auditEvent.count({ where: { tenantId, targetId: owner.id, action: "account.sign_in_throttled" } }), 3);
  // Each names the email tried and the address it came from.
  const failed = await db.auditEvent.findFirstOrThrow({ where: { tenantId, targetId: owner.id, action: "account.sign_in_failed" }, select: { after: true } });
  assert.deepEqual(failed.after, { email, address: "127.0.0.2" });
  const succeeded = await db.auditEvent.findFirstOrThrow({ where: { tenantId, targetId: owner.id, action: "account.sign_in" }, select: { after: true } });
  assert.equal((succeeded.after as { email?: string }).email, email);
});

test("a sign-in is recorded from the socket's address: neither a forged x-grantry-client-address nor a Connection header naming it changes it", async () => {
  const email = fresh("address");
  const user = await addMember(tenantId, { email, role: "viewer", password: PASSWORD });
  const forged = { "x-grantry-client-address": "203.0.113.66" };
  // The front server writes the address Next.js reads; a client's Connection header names fields of its own hop, not that one.
  const attempts: Array<[string, Record<string, string>]> = [
    ["127.0.0.3", forged],
    ["127.0.0.4", { connection: "x-grantry-client-address" }],
    ["127.0.0.5", { ...forged, connection: "keep-alive, X-Grantry-Client-Address" }],
  ];
  for (const [from, headers] of attempts) assert.equal((await signIn(email, PASSWORD, from, headers)).error, "none", JSON.stringify(headers));
  const events = await db.auditEvent.findMany({ where: { tenantId, targetId: user.id, action: "account.sign_in" }, select: { after: true } });
  const addresses = events.map((e) => (e.after as { address?: string } | null)?.address).sort();
  assert.deepEqual(addresses, ["127.0.0.3", "127.0.0.4", "127.0.0.5"]);
});

test("sign out everywhere ends every older session", async () => {
  const email = fresh("everywhere");
  const user = await addMember(tenantId, { email, role: "viewer", password: PASSWORD });
  const [a, b] = [await signIn(email, PASSWORD), await signIn(email, PASSWORD)];
  assert.equal(await sessionEmail(a.cookie), email);
  await signOutEverywhere(user.id);
  assert.equal(await sessionEmail(a.cookie), null);
  assert.equal(await sessionEmail(b.cookie), null);
  const again = await signIn(email, PASSWORD);
  assert.equal(await sessionEmail(again.cookie), email, "a new sign-in works");
});

test("changing one's password needs the current one, and ends older sessions", async () => {
  const email = fresh("change");
  const user = await addMember(tenantId, { email, role: "viewer", password: PASSWORD });
  const old = await signIn(email, PASSWORD);
  await assert.rejects(
    changeOwnPassword(user.id, { current: "not it at all", password: "a brand new password" }),
    (e: { details?: Record<string, string> }) => e.details?.current === "Wrong password",
  );
  await assert.rejects(changeOwnPassword(user.id, { current: PASSWORD, password: "short" }), (e: { details?: Record<string, string> }) =>
    Boolean(e.details?.password),
  );
  await changeOwnPassword(user.id, { current: PASSWORD, password: "a brand new password" });
  assert.equal(await sessionEmail(old.cookie), null);
  assert.equal((await signIn(email, PASSWORD)).error, "CredentialsSignin");
  assert.equal((await signIn(email, "a brand new password")).error, "none");
  assert.equal(await db.auditEvent.count({ where: { tenantId, targetId: user.id, action: "account.password_change" } }), 1);
});

test("an owner's reset link works once, only for its member, and ends the member's sessions", async () => {
  const email = fresh("reset");
  const member = await addMember(tenantId, { email, role: "admin", password: PASSWORD });
  const old = await signIn(email, PASSWORD);
  const other = await createTenant({ slug: `acct-o-${Math.random().toString(36).slice(2, 8)}` }, SYSTEM_ACTOR);
  await assert.rejects(createMemberResetLink(other.id, member.id, SYSTEM_ACTOR), /Member not found/);
  const link = await createMemberResetLink(tenantId, member.id, SYSTEM_ACTOR);
  assert.ok(link.expiresAt.getTime() - Date.now() <= 3_600_000);
  const page = await request("GET", `/reset/${tokenOf(link.url)}`);
  assert.match(page.body, /Reset your password/);
  await resetPassword(tokenOf(link.url), "the member's own choice");
  await assert.rejects(resetPassword(tokenOf(link.url), "a replayed choice!!"), /invalid, expired, revoked or already used/);
  assert.match((await request("GET", `/reset/${tokenOf(link.url)}`)).body, /invalid, expired or already used/);
  assert.equal(await sessionEmail(old.cookie), null);
  assert.equal((await signIn(email, "the member's own choice")).error, "none");
  // The operator's recovery link: a newer link replaces an older one.
  const first = await createOperatorResetLink(email);
  const second = await createOperatorResetLink(email);
  await assert.rejects(resetPassword(tokenOf(first.url), "another choice here"), /invalid/);
  await resetPassword(tokenOf(second.url), "another choice here");
  assert.equal((await signIn(email, "another choice here")).error, "none");
});

test("a reset link changes the password only: the second factors stay, and only the operator removes them", async () => {
  const email = fresh("2fa-reset");
  const member = await addMember(tenantId, { email, role: "admin", password: PASSWORD });
  await db.userTotp.create({ data: { userId: member.id, secretSealed: encryptSecret("JBSWY3DPEHPK3PXP"), confirmedAt: new Date() } });
  await db.recoveryCode.create({ data: { userId: member.id, codeHash: "x".repeat(64) } });
  await db.passkey.create({ data: { userId: member.id, credentialId: `cred-${Math.random().toString(36).slice(2)}`, publicKey: Buffer.from("k") } });
  const factors = async () => [
    await db.userTotp.count({ where: { userId: member.id } }),
    await db.recoveryCode.count({ where: { userId: member.id } }),
    await db.passkey.count({ where: { userId: member.id } }),
  ];

  // An owner's reset link: the password changes, the second factors stay, so the link alone does not open the account.
  const link = await createMemberResetLink(tenantId, member.id, SYSTEM_ACTOR);
  await resetPassword(tokenOf(link.url), "the member's own choice");
  assert.deepEqual(await factors(), [1, 1, 1]);
  const passwordOnly = await signIn(email, "the member's own choice");
  assert.notEqual(passwordOnly.error, "none");
  assert.equal(await sessionEmail(passwordOnly.cookie), null, "the password alone is not a session");

  await assert.rejects(removeSecondFactorsByOperator("nobody-at-all@example.com"), { code: "not_found" });
  // The operator's CLI, as docs/security/mfa.md shows it (a lost phone): everything goes, and sessions end.
  const before = await db.user.findUniqueOrThrow({ where: { id: member.id }, select: { sessionVersion: true } });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "cli/index.ts", "admin", "reset-password", "--email", email, "--remove-second-factors"],
    { env: process.env },
  );
  assert.match(stdout, /^Second factors removed for .*: the authenticator app and its recovery codes, 1 passkey\(s\)\nOne-time reset link for /);
  assert.deepEqual(await factors(), [0, 0, 0]);
  assert.ok((await db.user.findUniqueOrThrow({ where: { id: member.id }, select: { sessionVersion: true } })).sessionVersion > before.sessionVersion);
  assert.equal(await db.auditEvent.count({ where: { tenantId, targetId: member.id, action: "account.second_factors_removed" } }), 1);
  assert.equal((await signIn(email, "the member's own choice")).error, "none");
});
