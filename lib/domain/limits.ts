// What one caller can create: per-tenant caps (counted inside mutateTenant,
// under its lock on the tenant row, so concurrent creations cannot overshoot)
// and rate limits on the expensive or unbounded operations (key rotation,
// tenant creation).
import { env } from "@/lib/env";
import { type LimitName, takeToken } from "@/lib/rate-limit";
import { ConflictError, RateLimitedError } from "./errors";

export type Cap =
  | "GRANTRY_MAX_APPLICATIONS"
  | "GRANTRY_MAX_SECRETS_PER_APPLICATION"
  | "GRANTRY_MAX_KEYS_PER_APPLICATION"
  | "GRANTRY_MAX_FEDERATED_CREDENTIALS_PER_APPLICATION"
  | "GRANTRY_MAX_APIS"
  | "GRANTRY_MAX_SCOPES_PER_API"
  | "GRANTRY_MAX_GRANTS";

const WHAT: Record<Cap, string> = {
  GRANTRY_MAX_APPLICATIONS: "applications in this tenant",
  GRANTRY_MAX_SECRETS_PER_APPLICATION: "active secrets for this application",
  GRANTRY_MAX_KEYS_PER_APPLICATION: "active public key sets for this application",
  GRANTRY_MAX_FEDERATED_CREDENTIALS_PER_APPLICATION: "federated credentials for this application",
  GRANTRY_MAX_APIS: "APIs in this tenant",
  GRANTRY_MAX_SCOPES_PER_API: "scopes on this API",
  GRANTRY_MAX_GRANTS: "grants in this tenant",
};

export function capOf(cap: Cap): number {
  return env()[cap];
}

/** The error for a cap that `adding` more would pass. `field` names the input that asked for them. */
export function capReached(cap: Cap, field = "_"): ConflictError {
  const limit = capOf(cap);
  return new ConflictError(`Limit reached: at most ${limit} ${WHAT[cap]} (${cap})`, { [field]: `At most ${limit} ${WHAT[cap]}`, limit: cap });
}

/**
 * Throws when `existing + adding` passes the cap. Call inside mutateTenant
 * (lib/domain/changes.ts), whose lock on the tenant's row makes count-then-
 * create sequences of one tenant run one at a time.
 */
export function assertWithinCap(cap: Cap, existing: number, adding = 1, field?: string): void {
  if (existing + adding > capOf(cap)) throw capReached(cap, field);
}

/** Takes one from the bucket `name`/`key`, or throws 429 with when to retry. */
export async function assertRate(name: LimitName, key: string, message: string): Promise<void> {
  const decision = await takeToken(name, key);
  if (!decision.allowed) throw new RateLimitedError(`${message}; try again in ${decision.retryAfterSeconds} seconds`, decision.retryAfterSeconds);
}
