// Two-factor sign-in with TOTP (RFC 6238): enrol, confirm, verify once, disable.
// The shared secret is sealed with GRANTRY_ENCRYPTION_KEY like signing keys;
// a code is accepted once: the accepted time step is stored and a code of the
// same or an earlier step is refused, so a code seen over a shoulder cannot be replayed.
import { Secret, TOTP } from "otpauth";
import { encryptSecret, openSecret, verifyPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError, assertThat } from "./errors";
import { recordOwnAccountEvent } from "./account-audit";
import { issueRecoveryCodes } from "./mfa-recovery";

const PERIOD = 30;
const ISSUER = "Grantry";

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

/** Six digits, spaces allowed (authenticator apps show "123 456"). */
export function normaliseCode(code: unknown): string | null {
  if (typeof code !== "string") return null;
  const digits = code.replace(/\s+/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The time step a code matches, within one step of clock drift either way; null when none. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const delta = totpFor(secretBase32, "x").validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** The second factors a user has: "totp" once confirmed, "passkey" when any is registered. */
export async function secondFactors(userId: string): Promise<Array<"totp" | "passkey">> {
  const [totp, passkeys] = await Promise.all([db.userTotp.findUnique({ where: { userId }, select: { confirmedAt: true } }), db.passkey.count({ where: { userId } })]);
  return [...(totp?.confirmedAt ? (["totp"] as const) : []), ...(passkeys ? (["passkey"] as const) : [])];
}

export async function hasTwoFactor(userId: string): Promise<boolean> {
  return (await secondFactors(userId)).length > 0;
}

/**
 * Starts (or restarts) enrolment: a fresh secret, stored sealed and not yet on.
 * Refused while a confirmed authenticator exists: disable it first.
 */
export async function startTotpEnrolment(userId: string): Promise<{ secret: string; uri: string }> {
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

/**
 * Checks a sign-in code for a user with TOTP on. True once per time step:
 * the step is claimed with a conditional update, so two requests racing with
 * the same code cannot both pass.
 */
export async function verifyTotpCode(userId: string, code: unknown): Promise<boolean> {
  const digits = normaliseCode(code);
  if (!digits) return false;
  const totp = await db.userTotp.findUnique({ where: { userId } });
  if (!totp?.confirmedAt) return false;
  const step = matchingStep(openSecret(totp.secretSealed), digits);
  if (step === null) return false;
  const claimed = await db.userTotp.updateMany({ where: { userId, lastStep: { lt: step } }, data: { lastStep: step } });
  return claimed.count === 1;
}

/** Turns two-factor sign-in off: needs a current code or the account's password. */
export async function disableTwoFactor(userId: string, proof: { code?: string; password?: string }): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, totp: { select: { confirmedAt: true } } } });
  assertThat(user?.totp?.confirmedAt, new ConflictError("Two-factor sign-in is not on"));
  const byCode = proof.code ? await verifyTotpCode(userId, proof.code) : false;
  const byPassword = !byCode && proof.password ? await verifyPassword(proof.password, user.passwordHash) : false;
  if (!byCode && !byPassword) {
    throw new ValidationError({ [proof.code ? "code" : "password"]: "Enter a current code from your app, or your password" }, "Not confirmed: two-factor sign-in stays on");
  }
  await db.$transaction(async (tx) => {
    await tx.userTotp.delete({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await recordOwnAccountEvent(tx, userId, "user.2fa_disabled", { method: byCode ? "totp" : "password" });
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
