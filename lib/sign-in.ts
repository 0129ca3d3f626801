// Password sign-in with throttling a stranger cannot turn into a lockout:
// - growing delays after repeated failures, per email and per address;
// - a hard stop per address (GRANTRY_RATE_LIMIT_SIGNIN_ADDRESS);
// - a hard stop per email (GRANTRY_RATE_LIMIT_SIGNIN_EMAIL) that addresses the
//   account signed in from before are exempt from.
// Delays are counted in this process's memory (a restart forgets them); the
// hard stops use the shared rate limiter (Redis when configured).
import { setTimeout as sleep } from "node:timers/promises";
import { recordAccountEvent } from "@/lib/domain/account-audit";
import { SYSTEM_ACTOR, accountActor } from "@/lib/domain/audit";
import { verifyCredentials } from "@/lib/domain/members";
import { isKnownOrigin, rememberOrigin, userIdForEmail } from "@/lib/domain/sign-in-origins";
import { takeToken } from "@/lib/rate-limit";

const WINDOW_MS = 15 * 60_000;
const MAX_DELAY_MS = 2000;
type Count = { n: number; since: number };
const store = globalThis as unknown as { __grantrySignInFailures?: Map<string, Count> };
const failures: Map<string, Count> = (store.__grantrySignInFailures ??= new Map());

function count(key: string, now = Date.now()): number {
  const c = failures.get(key);
  if (!c || now - c.since > WINDOW_MS) return 0;
  return c.n;
}

function fail(key: string, now = Date.now()): void {
  const c = failures.get(key);
  if (!c || now - c.since > WINDOW_MS) failures.set(key, { n: 1, since: now });
  else c.n++;
  if (failures.size > 100_000) failures.clear(); // bounded memory under a flood
}

/** The delay before checking a password: from the 5th failure for an email, or the 25th from an address. */
export function signInDelayMs(emailFailures: number, addressFailures: number): number {
  const steps = Math.max(emailFailures - 4, Math.floor(addressFailures / 5) - 4, 0);
  return steps ? Math.min(125 * 2 ** steps, MAX_DELAY_MS) : 0;
}

export type SignInResult = { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } } | { ok: false; throttled: boolean };

function audit(email: string, action: string, address: string): void {
  // Not awaited: an unknown email must answer as fast as a known one.
  void userIdForEmail(email)
    // The email as typed (normalised): the trail says which account was tried, not only whose.
    .then((id) => (id ? recordAccountEvent(id, action, { ...SYSTEM_ACTOR, label: `sign-in from ${address}` }, { email, address }) : undefined))
    .catch(() => {});
}

export async function passwordSignIn(rawEmail: string, password: string, address: string): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase();
  const [byEmail, byAddress] = await Promise.all([takeToken("signInPerEmail", email), takeToken("signInPerAddress", address)]);
  const known = byEmail.allowed ? false : await isKnownOrigin(email, address);
  if (!byAddress.allowed || (!byEmail.allowed && !known)) {
    audit(email, "account.sign_in_throttled", address);
    return { ok: false, throttled: true };
  }
  const delay = signInDelayMs(known ? 0 : count(`e:${email}`), count(`a:${address}`));
  if (delay) await sleep(delay);
  const user = await verifyCredentials(email, password);
  if (!user) {
    fail(`e:${email}`);
    fail(`a:${address}`);
    audit(email, "account.sign_in_failed", address);
    return { ok: false, throttled: false };
  }
  failures.delete(`e:${email}`);
  return { ok: true, user };
}

/**
 * A sign-in that gets a session (after the second factor, when the account has
 * one): only then is the address remembered as the account's own — so a
 * stranger who knows the password but not the second factor cannot make their
 * address exempt from the per-email stop — and the sign-in audited.
 */
export async function completeSignIn(user: { id: string; email: string }, address: string): Promise<void> {
  await rememberOrigin(user.id, address);
  await recordAccountEvent(user.id, "account.sign_in", accountActor(user.id, user.email), { email: user.email, address });
}
