// Passkeys over real HTTP, for what needs no authenticator (the ceremonies run
// in Chromium: e2e/passkeys.spec.ts): forged and malformed assertions are
// refused without a session or a 500, a challenge is single-use and bound to
// its purpose and user, and nobody removes another user's passkey. Adding and
// removing one needs the password (a session alone is not enough), sign-in
// challenges are limited per address, and both limits hold over HTTP.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { hashPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import { invoke, show, signIn } from "../helpers/server-action";
import {
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  registerPasskey,
  relyingParty,
  removePasskey,
  verifyPasskeyAssertion,
} from "@/lib/domain/mfa-passkeys";

const BASE = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
if (!BASE) throw new Error("GRANTRY_TEST_URL must point at a running Grantry server");

after(() => db.$disconnect());

const PASSWORD = "a long enough password";
const proof = { password: PASSWORD };
const address = () => `198.51.100.${Math.floor(Math.random() * 250)}:${randomBytes(4).toString("hex")}`;

async function newUser() {
  return db.user.create({ data: { email: `pk-${randomBytes(4).toString("hex")}@example.com`, passwordHash: await hashPassword(PASSWORD) } });
}

async function callback(provider: string, fields: Record<string, string>): Promise<{ status: number; error: string; session: unknown }> {
  const csrfRes = await fetch(`${BASE}/api/auth/csrf`);
  const cookie = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${BASE}/api/auth/callback/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ csrfToken, ...fields, json: "true" }),
    redirect: "manual",
  });
  const jar = [cookie, ...res.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  const session = await (await fetch(`${BASE}/api/auth/session`, { headers: { cookie: jar } })).json();
  return { status: res.status, error: new URL(location, BASE).searchParams.get("error") ?? "none", session };
}

const clientData = (challenge: string, type = "webauthn.get") =>
  Buffer.from(JSON.stringify({ type, challenge, origin: relyingParty().origins[0] })).toString("base64url");

test("forged and malformed passkey assertions are refused: no session, no 500", async () => {
  const user = await newUser();
  await db.passkey.create({ data: { userId: user.id, credentialId: "cred-of-victim", publicKey: Buffer.from("not a key") } });
  const { challenge } = await passkeyAuthenticationOptions(address());
  const forged = {
    id: "cred-of-victim",
    rawId: "cred-of-victim",
    type: "public-key",
    clientExtensionResults: {},
    response: {
      clientDataJSON: clientData(challenge),
      authenticatorData: Buffer.alloc(37).toString("base64url"),
      signature: "AAAA",
      userHandle: Buffer.from(user.id).toString("base64url"),
    },
  };
  for (const response of [JSON.stringify(forged), "not json", "{}", "[]", "null", JSON.stringify({ ...forged, id: { not: "" } }), "x".repeat(30_000)]) {
    const r = await callback("passkey", { response });
    assert.ok(r.status < 500, `status ${r.status} for ${response.slice(0, 30)}`);
    assert.equal(r.error, "CredentialsSignin", response.slice(0, 30));
    assert.deepEqual(r.session, {}, "no session");
  }
  // Without a ticket, the second-factor provider names nobody.
  const second = await callback("second-factor", { ticket: "", passkey: JSON.stringify(forged) });
  assert.equal(second.error, "CredentialsSignin");
  assert.deepEqual(second.session, {});
});

test("a challenge is single use, and one issued for sign-in does not register a passkey", async () => {
  const user = await newUser();
  const signIn = await passkeyAuthenticationOptions(address());
  const refused = { code: "validation_failed", details: { passkey: "The passkey could not be registered: try again" } };
  const fake = (challenge: string) => ({
    id: "x",
    rawId: "x",
    type: "public-key",
    clientExtensionResults: {},
    response: { clientDataJSON: clientData(challenge, "webauthn.create"), attestationObject: "AAAA" },
  });
  await assert.rejects(registerPasskey(user.id, fake(signIn.challenge), "mine"), refused);
  assert.ok(await db.webAuthnChallenge.findUnique({ where: { challenge: signIn.challenge } }), "the sign-in challenge is not spent by the wrong purpose");

  const other = await newUser();
  const othersRegistration = await passkeyRegistrationOptions(other.id, proof);
  await assert.rejects(registerPasskey(user.id, fake(othersRegistration.challenge), "mine"), refused);
  assert.ok(await db.webAuthnChallenge.findUnique({ where: { challenge: othersRegistration.challenge } }), "another user's challenge is not theirs to spend");

  const own = await passkeyRegistrationOptions(user.id, proof);
  await assert.rejects(registerPasskey(user.id, fake(own.challenge), "mine"), refused);
  assert.equal(
    await db.webAuthnChallenge.findUnique({ where: { challenge: own.challenge } }),
    null,
    "a presented challenge is spent, even when the response then fails",
  );
  await assert.rejects(registerPasskey(user.id, fake(own.challenge), "x".repeat(101)), {
    code: "validation_failed",
    details: { name: "At most 100 characters, no control characters" },
  });
  assert.equal(await db.passkey.count({ where: { userId: user.id } }), 0);
  assert.equal(await verifyPasskeyAssertion({ id: "nope" }, { requireUserVerification: true }), null);
});

test("nobody removes another user's passkey", async () => {
  const alice = await newUser();
  const mallory = await newUser();
  const key = await db.passkey.create({ data: { userId: alice.id, credentialId: `cred-${randomBytes(6).toString("hex")}`, publicKey: Buffer.from("k") } });
  await assert.rejects(removePasskey(mallory.id, key.id, proof), { code: "not_found" });
  await assert.rejects(removePasskey(mallory.id, { not: "" }, proof), { code: "not_found" });
  assert.ok(await db.passkey.findUnique({ where: { id: key.id } }), "still there");
  await removePasskey(alice.id, key.id, proof);
  assert.equal(await db.passkey.findUnique({ where: { id: key.id } }), null);
});

test("adding or removing a passkey needs the password: a session alone does neither", async () => {
  const user = await newUser();
  const challenges = () => db.webAuthnChallenge.count({ where: { userId: user.id } });
  await assert.rejects(passkeyRegistrationOptions(user.id, {}), {
    code: "validation_failed",
    message: "Not confirmed: no passkey was added",
    details: { password: "Enter your password" },
  });
  await assert.rejects(passkeyRegistrationOptions(user.id, { password: "not the password at all" }), {
    code: "validation_failed",
    details: { password: "Enter your password" },
  });
  await assert.rejects(
    passkeyRegistrationOptions(user.id, { code: "123456" }),
    { code: "validation_failed", details: { code: "Enter your password" } },
    "no authenticator app: a code proves nothing",
  );
  assert.equal(await challenges(), 0, "no registration challenge without the password");
  await passkeyRegistrationOptions(user.id, proof);
  assert.equal(await challenges(), 1);

  const key = await db.passkey.create({ data: { userId: user.id, credentialId: `cred-${randomBytes(6).toString("hex")}`, publicKey: Buffer.from("k") } });
  await assert.rejects(removePasskey(user.id, key.id, {}), { code: "validation_failed", message: "Not confirmed: the passkey stays" });
  await assert.rejects(removePasskey(user.id, key.id, { password: "x".repeat(5000) }), { code: "validation_failed" });
  assert.ok(await db.passkey.findUnique({ where: { id: key.id } }), "still there");
});

test("a session cannot be used to guess the password: confirmations are limited per user", async () => {
  const user = await newUser();
  const other = await newUser();
  for (let i = 0; i < 10; i++) await assert.rejects(passkeyRegistrationOptions(user.id, { password: `guess ${i}` }), { code: "validation_failed" });
  // The eleventh try within GRANTRY_RATE_LIMIT_REAUTH (10/15m) is refused before the password is checked, even the right one.
  await assert.rejects(passkeyRegistrationOptions(user.id, proof), {
    code: "rate_limited",
    message: /^Too many confirmation attempts \(GRANTRY_RATE_LIMIT_REAUTH\); try again in \d+ seconds$/,
  });
  await passkeyRegistrationOptions(other.id, proof); // each user on their own
});

test("sign-in challenges are limited per address, so strangers cannot fill the table", async () => {
  const mine = address();
  const before = await db.webAuthnChallenge.count({ where: { purpose: "authenticate" } });
  for (let i = 0; i < 30; i++) await passkeyAuthenticationOptions(mine);
  await assert.rejects(passkeyAuthenticationOptions(mine), { code: "rate_limited", message: /GRANTRY_RATE_LIMIT_PASSKEY_CHALLENGE/ });
  assert.ok((await db.webAuthnChallenge.count({ where: { purpose: "authenticate" } })) - before <= 30, "the refused request stored nothing");
  await passkeyAuthenticationOptions(address()); // another address is not affected
});

test("the account page's actions ask for the password too (the dashboard path is not a way around it)", async () => {
  const user = await newUser();
  const cookie = await signIn(user.email, PASSWORD);
  const key = await db.passkey.create({ data: { userId: user.id, credentialId: `cred-${randomBytes(6).toString("hex")}`, publicKey: Buffer.from("k") } });
  const blank = new FormData();
  const wrong = new FormData();
  wrong.set("password", "not the password at all");
  for (const [name, args] of [
    ["passkeyRegistrationOptionsAction", [blank]],
    ["passkeyRegistrationOptionsAction", ["not a form"]],
    ["removePasskeyAction", [key.id, wrong]],
    ["removePasskeyAction", [key.id]],
    ["startTotpAction", [null, blank]],
  ] as const) {
    const reply = await invoke(name, [...args], "/account/security", cookie);
    assert.ok(reply.outcome.kind === "result" && !reply.outcome.ok && reply.outcome.fieldErrors.password, `${name} refused: ${show(reply)}`);
  }
  assert.ok(await db.passkey.findUnique({ where: { id: key.id } }), "the passkey stays");
  assert.equal(await db.webAuthnChallenge.count({ where: { userId: user.id } }), 0, "no registration challenge");
  assert.equal(await db.userTotp.count({ where: { userId: user.id } }), 0, "no authenticator set-up started");
});
