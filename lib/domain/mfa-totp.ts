// Two-factor sign-in with TOTP (RFC 6238): enrol, confirm, disable (the codes
// themselves: mfa-codes.ts). The shared secret is sealed with
// GRANTRY_ENCRYPTION_KEY like signing keys. Starting and turning off need the
// user to confirm it is them (reauth.ts): a session alone could otherwise lock
// its owner out.
import { Secret } from "otpauth";
import { encryptSecret, openSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError, assertThat } from "./errors";
import { recordOwnAccountEvent } from "./account-audit";
import { issueRecoveryCodes } from "./mfa-recovery";
import { matchingStep, normaliseCode, totpFor } from "./mfa-codes";
import { type Proof, confirmIdentity } from "./reauth";

export { matchingStep, normaliseCode, verifyTotpCode } from "./mfa-codes";

/** The second factors a user has: "totp" once confirmed, "passkey" when any is registered. */
export async function secondFactors(userId: string): Promise<Array<"totp" | "passkey">> {
  const [totp, passkeys] = await Promise.all([
    db.userTotp.findUnique({ where: { userId }, select: { confirmedAt: true } }),
    db.passkey.count({ where: { userId } }),
  ]);
  return [...(totp?.confirmedAt ? (["totp"] as const) : []), ...(passkeys ? (["passkey"] as const) : [])];
}

export async function hasTwoFactor(userId: string): Promise<boolean> {
  return (await secondFactors(userId)).length > 0;
}

/**
 * Starts (or restarts) enrolment: a fresh secret, stored sealed and not yet on.
 * Refused while a confirmed authenticator exists: disable it first.
 */
export async function startTotpEnrolment(userId: string, proof: Proof): Promise<{ secret: string; uri: string }> {
  await confirmIdentity(userId, proof, "Not confirmed: two-factor sign-in was not set up");
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, totp: { select: { confirmedAt: true } } } });
  assertThat(user, new NotFoundError("User"));
  if (user.totp?.confirmedAt) throw new ConflictError("Two-factor sign-in is already on");
  const secret = new Secret({ size: 20 }).base32;
  const secretSealed = encryptSecret(secret);
  await db.userTotp.upsert({ where: { userId }, create: { userId, secretSealed }, update: { secretSealed, lastStep: 0, confirmedAt: null } });
  return { secret, uri: totpFor(secret, user.email).toString() };
}

/** Turns TOTP on with a first code from the app; returns the ten recovery codes, shown once. */
export async function confirmTotpEnrolment(userId: string, code: unknown): Promise<string[]> {
  const pending = await db.userTotp.findUnique({ where: { userId } });
  if (!pending || pending.confirmedAt) throw new ConflictError("Start the set-up first");
  const digits = normaliseCode(code);
  const step = digits ? matchingStep(openSecret(pending.secretSealed), digits) : null;
  if (step === null) throw new ValidationError({ code: "That code does not match: enter the 6 digits your app shows now" });
  return db.$transaction(async (tx) => {
    const updated = await tx.userTotp.updateMany({ where: { userId, confirmedAt: null }, data: { confirmedAt: new Date(), lastStep: step } });
    if (updated.count !== 1) throw new ConflictError("Start the set-up first");
    const codes = await issueRecoveryCodes(tx, userId);
    await recordOwnAccountEvent(tx, userId, "user.2fa_enabled", { method: "totp" });
    return codes;
  });
}

/** Turns two-factor sign-in off: needs a current code or the account's password. */
export async function disableTwoFactor(userId: string, proof: Proof): Promise<void> {
  const totp = await db.userTotp.findUnique({ where: { userId }, select: { confirmedAt: true } });
  assertThat(totp?.confirmedAt, new ConflictError("Two-factor sign-in is not on"));
  const method = await confirmIdentity(userId, proof, "Not confirmed: two-factor sign-in stays on");
  await db.$transaction(async (tx) => {
    await tx.userTotp.delete({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await recordOwnAccountEvent(tx, userId, "user.2fa_disabled", { method });
  });
}

/**
 * Re-seals every TOTP secret under the current GRANTRY_ENCRYPTION_KEY, beside
 * the signing keys in `encryption-key rotate`. Opens all first: a secret that
 * no configured key opens changes nothing.
 */
export async function reencryptTotpSecrets(): Promise<number> {
  const rows = await db.userTotp.findMany({ select: { userId: true, secretSealed: true } });
  const resealed = rows.map((r) => ({ userId: r.userId, secretSealed: encryptSecret(openSecret(r.secretSealed)) }));
  await db.$transaction(async (tx) => {
    for (const r of resealed) await tx.userTotp.update({ where: { userId: r.userId }, data: { secretSealed: r.secretSealed } });
  });
  return resealed.length;
}
