// TOTP codes (RFC 6238): what a code is, which time step it matches, and the
// one-time check at sign-in and re-authentication. A code is accepted once: the
// accepted time step is stored and a code of the same or an earlier step is
// refused, so a code seen over a shoulder cannot be replayed.
import { Secret, TOTP } from "otpauth";
import { openSecret } from "@/lib/crypto";
import { db } from "@/lib/db";

const PERIOD = 30;
const ISSUER = "Grantry";

export function totpFor(secretBase32: string, label: string): TOTP {
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
