// The second sign-in step: after a right password for an account with
// two-factor sign-in on, the password provider answers with a ticket instead
// of a session (error "SecondFactor:<ticket>"); this provider trades the
// ticket and a TOTP or recovery code for the session. Attempts are limited per user.
import CredentialsProvider from "next-auth/providers/credentials";
import { findUser } from "@/lib/domain/members";
import { verifyPasskeyAssertion } from "@/lib/domain/mfa-passkeys";
import { secondFactors, verifyTotpCode } from "@/lib/domain/mfa-totp";
import { spendRecoveryCode } from "@/lib/domain/mfa-recovery";
import { issueSecondFactorTicket, readSecondFactorTicket } from "@/lib/http/second-factor-ticket";
import { clientAddress } from "@/lib/client-address";
import { takeToken } from "@/lib/rate-limit";
import { completeSignIn } from "@/lib/sign-in";

export const SECOND_FACTOR_PREFIX = "SecondFactor:";
export const SECOND_FACTOR_TOO_MANY = "TooManyCodes";

/** Called by the password provider once the password is right. */
export async function requireSecondFactor(userId: string): Promise<void> {
  const methods = await secondFactors(userId);
  if (methods.length) throw new Error(SECOND_FACTOR_PREFIX + (await issueSecondFactorTicket(userId, methods)));
}

/** A passkey assertion arrives as JSON text in a form field. */
function parseAssertion(value: unknown): unknown {
  if (typeof value !== "string" || value.length > 20_000) return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

/** The session's user once the second step (or a password-less passkey) succeeded, the sign-in completed and audited. */
async function signedInAs(userId: string, headers: Record<string, string | string[] | undefined> | undefined) {
  const user = await findUser(userId);
  if (!user) return null;
  await completeSignIn(user, clientAddress(headers ?? {}));
  // The session version, so that "sign out everywhere" ends sessions made through this step too (lib/auth.ts).
  return { id: user.id, email: user.email, name: user.name || user.email, sessionVersion: user.sessionVersion };
}

export const secondFactorProvider = CredentialsProvider({
  id: "second-factor",
  name: "Two-factor code",
  credentials: { ticket: { type: "text" }, code: { type: "text" }, recoveryCode: { type: "text" }, passkey: { type: "text" } },
  async authorize(credentials, req) {
    const userId = await readSecondFactorTicket(credentials?.ticket);
    if (!userId) return null;
    if (!(await takeToken("secondFactorPerUser", userId)).allowed) throw new Error(SECOND_FACTOR_TOO_MANY);
    const ok = credentials?.passkey
      ? (await verifyPasskeyAssertion(parseAssertion(credentials.passkey), { userId, requireUserVerification: false })) === userId
      : credentials?.recoveryCode
        ? await spendRecoveryCode(userId, credentials.recoveryCode)
        : await verifyTotpCode(userId, credentials?.code);
    return ok ? signedInAs(userId, req?.headers) : null;
  },
});

/** Sign-in without a password: a passkey whose authenticator verified the user (PIN or biometrics). */
export const passkeyProvider = CredentialsProvider({
  id: "passkey",
  name: "Passkey",
  credentials: { response: { type: "text" } },
  async authorize(credentials, req) {
    const userId = await verifyPasskeyAssertion(parseAssertion(credentials?.response), { requireUserVerification: true });
    return userId ? signedInAs(userId, req?.headers) : null;
  },
});
