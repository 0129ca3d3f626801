// Passkeys over real HTTP, for what needs no authenticator (the ceremonies run
// in Chromium: e2e/passkeys.spec.ts): forged and malformed assertions are
// refused without a session or a 500, a challenge is single-use and bound to
// its purpose and user, and nobody removes another user's passkey.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { hashPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import { passkeyAuthenticationOptions, passkeyRegistrationOptions, registerPasskey, relyingParty, removePasskey, verifyPasskeyAssertion } from "@/lib/domain/mfa-passkeys";

const BASE = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
if (!BASE) throw new Error("GRANTRY_TEST_URL must point at a running Grantry server");

after(() => db.$disconnect());

async function newUser() {
  return db.user.create({ data: { email: `pk-${randomBytes(4).toString("hex")}@example.com`, passwordHash: await hashPassword("a long enough password") } });
}

async function callback(provider: string, fields: Record<string, string>): Promise<{ status: number; error: string; session: unknown }> {
  const csrfRes = await fetch(`${BASE}/api/auth/csrf`);
  const cookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
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

const clientData = (challenge: string, type = "webauthn.get") => Buffer.from(JSON.stringify({ type, challenge, origin: relyingParty().origins[0] })).toString("base64url");

test("forged and malformed passkey assertions are refused: no session, no 500", async () => {
  const user = await newUser();
  await db.passkey.create({ data: { userId: user.id, credentialId: "cred-of-victim", publicKey: Buffer.from("not a key") } });
  const { challenge } = await passkeyAuthenticationOptions();
  const forged = {
    id: "cred-of-victim",
    rawId: "cred-of-victim",
    type: "public-key",
    clientExtensionResults: {},
    response: { clientDataJSON: clientData(challenge), authenticatorData: Buffer.alloc(37).toString("base64url"), signature: "AAAA", userHandle: Buffer.from(user.id).toString("base64url") },
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
  const signIn = await passkeyAuthenticationOptions();
  const refused = { code: "validation_failed", details: { passkey: "The passkey could not be registered: try again" } };
  const fake = (challenge: string) => ({ id: "x", rawId: "x", type: "public-key", clientExtensionResults: {}, response: { clientDataJSON: clientData(challenge, "webauthn.create"), attestationObject: "AAAA" } });
  await assert.rejects(registerPasskey(user.id, fake(signIn.challenge), "mine"), refused);
  assert.ok(await db.webAuthnChallenge.findUnique({ where: { challenge: signIn.challenge } }), "the sign-in challenge is not spent by the wrong purpose");

  const other = await newUser();
  const othersRegistration = await passkeyRegistrationOptions(other.id);
  await assert.rejects(registerPasskey(user.id, fake(othersRegistration.challenge), "mine"), refused);
  assert.ok(await db.webAuthnChallenge.findUnique({ where: { challenge: othersRegistration.challenge } }), "another user's challenge is not theirs to spend");

  const own = await passkeyRegistrationOptions(user.id);
  await assert.rejects(registerPasskey(user.id, fake(own.challenge), "mine"), refused);
  assert.equal(await db.webAuthnChallenge.findUnique({ where: { challenge: own.challenge } }), null, "a presented challenge is spent, even when the response then fails");
  await assert.rejects(registerPasskey(user.id, fake(own.challenge), "x".repeat(101)), { code: "validation_failed", details: { name: "At most 100 characters, no control characters" } });
  assert.equal(await db.passkey.count({ where: { userId: user.id } }), 0);
  assert.equal(await verifyPasskeyAssertion({ id: "nope" }, { requireUserVerification: true }), null);
});

test("nobody removes another user's passkey", async () => {
  const alice = await newUser();
  const mallory = await newUser();
  const key = await db.passkey.create({ data: { userId: alice.id, credentialId: `cred-${randomBytes(6).toString("hex")}`, publicKey: Buffer.from("k") } });
  await assert.rejects(removePasskey(mallory.id, key.id), { code: "not_found" });
  await assert.rejects(removePasskey(mallory.id, { not: "" }), { code: "not_found" });
  assert.ok(await db.passkey.findUnique({ where: { id: key.id } }), "still there");
  await removePasskey(alice.id, key.id);
  assert.equal(await db.passkey.findUnique({ where: { id: key.id } }), null);
});
