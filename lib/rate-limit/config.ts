// Limits from the environment: "N/Ws", "N/Wm" or "N/Wh" (N requests per
// window, refilled continuously); "0" or "off" disables a limit. The one
// parser of these values: lib/env.ts validates and parses them with it, so
// this module must not import lib/env.ts back.
export type Limit = { capacity: number; refillPerMs: number; windowMs: number };

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

export function parseLimit(value: string | undefined, fallback: string): Limit | null {
  const text = (value ?? fallback).trim();
  if (text === "0" || text === "off") return null;
  const match = /^(\d+)\/(\d*)([smh])$/.exec(text);
  if (!match) throw new Error(`Invalid rate limit "${text}": expected e.g. 100/1m, 20/10s or off`);
  const capacity = Number(match[1]);
  const windowMs = Number(match[2] || 1) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (capacity < 1) return null;
  return { capacity, windowMs, refillPerMs: capacity / windowMs };
}

/**
 * The limits Grantry enforces, by the variable that sets each. lib/env.ts
 * validates and parses them with parseLimit above and holds their defaults.
 */
export const LIMITS = {
  tokenPerClient: "GRANTRY_RATE_LIMIT_TOKEN_CLIENT",
  tokenPerAddress: "GRANTRY_RATE_LIMIT_TOKEN_ADDRESS",
  signInPerEmail: "GRANTRY_RATE_LIMIT_SIGNIN_EMAIL",
  signInPerAddress: "GRANTRY_RATE_LIMIT_SIGNIN_ADDRESS",
  keyRotationPerTenant: "GRANTRY_RATE_LIMIT_KEY_ROTATION",
  tenantCreationPerUser: "GRANTRY_RATE_LIMIT_TENANT_CREATION",
  secondFactorPerUser: "GRANTRY_RATE_LIMIT_SECOND_FACTOR",
  reauthPerUser: "GRANTRY_RATE_LIMIT_REAUTH",
  passkeyChallengePerAddress: "GRANTRY_RATE_LIMIT_PASSKEY_CHALLENGE",
} as const;
