// Limits from the environment: "N/Ws", "N/Wm" or "N/Wh" (N requests per
// window, refilled continuously); "0" or "off" disables a limit.
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

/** The limits Grantry enforces, with their defaults. */
export const LIMITS = {
  tokenPerClient: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_TOKEN_CLIENT, "1200/1m"),
  tokenPerAddress: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_TOKEN_ADDRESS, "6000/1m"),
  signInPerEmail: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_SIGNIN_EMAIL, "10/15m"),
  signInPerAddress: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_SIGNIN_ADDRESS, "50/15m"),
  keyRotationPerTenant: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_KEY_ROTATION, "10/1h"),
  tenantCreationPerUser: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_TENANT_CREATION, "20/1h"),
  secondFactorPerUser: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_SECOND_FACTOR, "5/5m"),
  reauthPerUser: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_REAUTH, "10/15m"),
  passkeyChallengePerAddress: () => parseLimit(process.env.GRANTRY_RATE_LIMIT_PASSKEY_CHALLENGE, "30/1m"),
};
