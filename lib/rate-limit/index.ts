// Rate limits (token buckets): in memory by default, in Redis when REDIS_URL
// is set. A limiter is created once per limit and kept on globalThis, which
// server.ts and Next's bundle share.
import { type Limit, LIMITS } from "./config";
import { env, resetEnvCache } from "@/lib/env";
import { memoryBuckets } from "./memory";
import { redisBuckets } from "./redis";

export type Decision = { allowed: boolean; retryAfterSeconds: number };
export type LimitName = keyof typeof LIMITS;

type Buckets = { take: (key: string) => Decision | Promise<Decision> };
const registry = globalThis as unknown as { __grantryLimiters?: Map<LimitName, Buckets | null> };
const limiters: Map<LimitName, Buckets | null> = (registry.__grantryLimiters ??= new Map());

function limiter(name: LimitName): Buckets | null {
  let buckets = limiters.get(name);
  if (buckets === undefined) {
    const config = env();
    const limit: Limit | null = config[LIMITS[name]];
    buckets = limit ? (config.REDIS_URL ? redisBuckets(config.REDIS_URL, name, limit) : memoryBuckets(limit)) : null;
    limiters.set(name, buckets);
  }
  return buckets;
}

const ALLOWED: Decision = { allowed: true, retryAfterSeconds: 0 };

/** Takes one request from `key`'s bucket under limit `name`. */
export function takeToken(name: LimitName, key: string): Decision | Promise<Decision> {
  const buckets = limiter(name);
  return buckets ? buckets.take(key) : ALLOWED;
}

/** For tests that change limits through the environment (re-read: env() caches). */
export function resetLimiters(): void {
  resetEnvCache();
  limiters.clear();
}
