// Passkeys (WebAuthn Level 3 via @simplewebauthn/server): registered from the
// account page, used as the second sign-in step or to sign in without a
// password (then the authenticator must verify the user: PIN or biometrics).
// Challenges are stored and deleted on first use, so a response cannot be replayed.
// Adding or removing one needs the user to confirm it is them (reauth.ts): a
// session alone must not plant a passkey that outlives it. Sign-in challenges
// are asked for by strangers, so they are limited per address
// (GRANTRY_RATE_LIMIT_PASSKEY_CHALLENGE) and each lives five minutes.
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { NotFoundError, ValidationError, assertThat } from "./errors";
import { recordOwnAccountEvent } from "./account-audit";
import { assertRate } from "./limits";
import { type Proof, confirmIdentity } from "./reauth";

const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_PASSKEYS = 20;

/**
 * The relying party: GRANTRY_URL's host. WebAuthn refuses IP addresses as an
 * RP id, so a loopback-IP GRANTRY_URL (a first run, the tests) uses
 * "localhost", and the browser must open Grantry at localhost for passkeys.
 */
export function relyingParty(url = env().GRANTRY_URL): { rpID: string; origins: string[] } {
  const u = new URL(url);
  if (u.hostname === "127.0.0.1" || u.hostname === "[::1]") {
    const local = `${u.protocol}//localhost${u.port ? `:${u.port}` : ""}`;
    return { rpID: "localhost", origins: [local] };
  }
  return { rpID: u.hostname, origins: [u.origin] };
}

async function storeChallenge(challenge: string, purpose: "register" | "authenticate", userId?: string) {
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db.webAuthnChallenge.create({ data: { challenge, purpose, userId, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) } });
}

/** True once for a live challenge of this purpose (and user): it is deleted as it is checked. */
async function consumeChallenge(challenge: string, purpose: string, userId?: string): Promise<boolean> {
  if (typeof challenge !== "string" || challenge.length > 200) return false;
  const gone = await db.webAuthnChallenge.deleteMany({ where: { challenge, purpose, expiresAt: { gt: new Date() }, ...(userId ? { userId } : {}) } });
  return gone.count === 1;
}

export async function passkeyRegistrationOptions(userId: string, proof: Proof) {
  await confirmIdentity(userId, proof, "Not confirmed: no passkey was added");
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, name: true, passkeys: { select: { credentialId: true, transports: true } } },
  });
  assertThat(user, new NotFoundError("User"));
  const { rpID } = relyingParty();
  const options = await generateRegistrationOptions({
    rpName: "Grantry",
    rpID,
    userName: user.email,
    userDisplayName: user.name || user.email,
    userID: new TextEncoder().encode(userId),
    attestationType: "none",
    excludeCredentials: user.passkeys.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await storeChallenge(options.challenge, "register", userId);
  return options;
}

export async function registerPasskey(userId: string, response: unknown, name: unknown): Promise<{ id: string }> {
  const label = typeof name === "string" ? name.trim() : "";
  if (label.length > 100 || /\p{Cc}/u.test(label)) throw new ValidationError({ name: "At most 100 characters, no control characters" });
  if ((await db.passkey.count({ where: { userId } })) >= MAX_PASSKEYS) throw new ValidationError({ name: `At most ${MAX_PASSKEYS} passkeys per account` });
  const { rpID, origins } = relyingParty();
  const refused = new ValidationError({ passkey: "The passkey could not be registered: try again" });
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: (c) => consumeChallenge(c, "register", userId),
      expectedOrigin: origins,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch {
    throw refused;
  }
  if (!verification.verified || !verification.registrationInfo) throw refused;
  const { credential } = verification.registrationInfo;
  return db.$transaction(async (tx) => {
    const created = await tx.passkey.create({
      data: {
        userId,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        name: label || "Passkey",
      },
      select: { id: true },
    });
    await recordOwnAccountEvent(tx, userId, "user.passkey_added", { name: label || "Passkey" });
    return created;
  });
}

/** Options for a sign-in: any of the account's discoverable passkeys (the user is not known yet). */
export async function passkeyAuthenticationOptions(address: string) {
  await assertRate("passkeyChallengePerAddress", address, "Too many passkey sign-ins from this address (GRANTRY_RATE_LIMIT_PASSKEY_CHALLENGE)");
  const options = await generateAuthenticationOptions({ rpID: relyingParty().rpID, userVerification: "preferred" });
  await storeChallenge(options.challenge, "authenticate");
  return options;
}

/**
 * The user a passkey assertion proves, or null. `userId` (the second step)
 * requires the passkey to be that user's; `requireUserVerification` (no
 * password) requires the authenticator to have verified the user.
 */
export async function verifyPasskeyAssertion(response: unknown, opts: { userId?: string; requireUserVerification: boolean }): Promise<string | null> {
  const assertion = response as AuthenticationResponseJSON;
  if (!assertion || typeof assertion !== "object" || typeof assertion.id !== "string" || assertion.id.length > 1400) return null;
  const passkey = await db.passkey.findUnique({ where: { credentialId: assertion.id } });
  if (!passkey || (opts.userId && passkey.userId !== opts.userId)) return null;
  const { rpID, origins } = relyingParty();
  try {
    const result = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: (c) => consumeChallenge(c, "authenticate"),
      expectedOrigin: origins,
      expectedRPID: rpID,
      requireUserVerification: opts.requireUserVerification,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransportFuture[],
      },
    });
    if (!result.verified) return null;
    // A counter that does not grow (when the authenticator keeps one) means a cloned authenticator: simplewebauthn throws then.
    await db.passkey.update({ where: { id: passkey.id }, data: { counter: result.authenticationInfo.newCounter, lastUsedAt: new Date() } });
    return passkey.userId;
  } catch {
    return null;
  }
}

export async function listPasskeys(userId: string) {
  return db.passkey.findMany({ where: { userId }, select: { id: true, name: true, createdAt: true, lastUsedAt: true }, orderBy: { createdAt: "asc" } });
}

export async function removePasskey(userId: string, id: unknown, proof: Proof): Promise<void> {
  if (typeof id !== "string") throw new NotFoundError("Passkey");
  await confirmIdentity(userId, proof, "Not confirmed: the passkey stays");
  await db.$transaction(async (tx) => {
    const gone = await tx.passkey.deleteMany({ where: { id, userId } });
    if (gone.count !== 1) throw new NotFoundError("Passkey");
    await recordOwnAccountEvent(tx, userId, "user.passkey_removed", {});
  });
}
