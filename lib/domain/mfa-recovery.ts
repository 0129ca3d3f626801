// Recovery codes: ten one-time codes issued when two-factor sign-in is turned
// on, shown once, stored as SHA-256 (they are random, so no slow KDF is needed).
import { randomInt } from "node:crypto";
import { sha256Hex } from "@/lib/crypto";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import { ValidationError } from "./errors";
import { recordOwnAccountEvent } from "./account-audit";
import { verifyTotpCode } from "./mfa-codes";

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: codes are read from paper.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function newCode(): string {
  let out = "";
  for (let i = 0; i < 10; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${out.slice(0, 5)}-${out.slice(5)}`; // ~49 bits
}

/** Case, spaces and dashes do not matter when the code is typed back. */
export function normaliseRecoveryCode(code: unknown): string | null {
  if (typeof code !== "string" || code.length > 64) return null;
  const plain = code.toUpperCase().replace(/[\s-]+/g, "");
  return /^[A-Z0-9]{10}$/.test(plain) ? `${plain.slice(0, 5)}-${plain.slice(5)}` : null;
}

/** Replaces the user's recovery codes with ten new ones; returns them in plain text, once. */
export async function issueRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: sha256Hex(code) })) });
  return codes;
}

/** Spends one recovery code; true once per code. The conditional update makes a race spend it once. */
export async function spendRecoveryCode(userId: string, code: unknown): Promise<boolean> {
  const normalised = normaliseRecoveryCode(code);
  if (!normalised) return false;
  return db.$transaction(async (tx) => {
    const spent = await tx.recoveryCode.updateMany({ where: { userId, codeHash: sha256Hex(normalised), usedAt: null }, data: { usedAt: new Date() } });
    if (spent.count !== 1) return false;
    const left = await tx.recoveryCode.count({ where: { userId, usedAt: null } });
    await recordOwnAccountEvent(tx, userId, "user.recovery_code_used", { remaining: left });
    return true;
  });
}

export async function remainingRecoveryCodes(userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

/**
 * New codes for a user with TOTP on, proven by a current code (a session left
 * open must not be enough to mint codes that outlive it); the old ones stop working.
 */
export async function regenerateRecoveryCodes(userId: string, code: unknown): Promise<string[]> {
  if (!(await verifyTotpCode(userId, code)))
    throw new ValidationError({ code: "Enter a current code from your app" }, "Not confirmed: your recovery codes are unchanged");
  return db.$transaction(async (tx) => {
    const codes = await issueRecoveryCodes(tx, userId);
    await recordOwnAccountEvent(tx, userId, "user.recovery_codes_regenerated", {});
    return codes;
  });
}
