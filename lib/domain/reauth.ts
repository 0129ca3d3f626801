// Re-authentication before changes that would let a borrowed session outlive
// itself or lock the owner out: adding or removing a passkey, setting up or
// turning off an authenticator app, new recovery codes. A session cookie left
// open (or stolen) is not enough: the account's password is, or a current code
// from the authenticator app when one is on. Attempts are limited per user
// (GRANTRY_RATE_LIMIT_REAUTH), so a session cannot be used to guess the password.
import { verifyPassword } from "@/lib/crypto";
import { db } from "@/lib/db";
import { NotFoundError, ValidationError, assertThat } from "./errors";
import { assertRate } from "./limits";
import { verifyTotpCode } from "./mfa-codes";

export type Proof = { password?: unknown; code?: unknown };

/** How the user proved it is them; throws a field-named ValidationError (or 429) otherwise. */
export async function confirmIdentity(userId: string, proof: Proof, refusal = "Not confirmed: nothing was changed"): Promise<"password" | "totp"> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, totp: { select: { confirmedAt: true } } } });
  assertThat(user, new NotFoundError("User"));
  const password = typeof proof.password === "string" && proof.password.length <= 200 ? proof.password : "";
  const code = typeof proof.code === "string" ? proof.code.trim() : "";
  const asked = user.totp?.confirmedAt ? "Enter a current code from your app, or your password" : "Enter your password";
  if (!password && !code) throw new ValidationError({ password: asked }, refusal);
  await assertRate("reauthPerUser", userId, "Too many confirmation attempts (GRANTRY_RATE_LIMIT_REAUTH)");
  if (code && (await verifyTotpCode(userId, code))) return "totp";
  if (password && (await verifyPassword(password, user.passwordHash))) return "password";
  throw new ValidationError({ [code && !password ? "code" : "password"]: asked }, refusal);
}
