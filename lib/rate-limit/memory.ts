// Token buckets in this process's memory.
import type { Limit } from "./config";
import type { Decision } from "./index";

type Bucket = { tokens: number; at: number };

const MAX_KEYS = 100_000;

export function memoryBuckets(limit: Limit) {
  const buckets = new Map<string, Bucket>();
  return {
    take(key: string, now = Date.now()): Decision {
      const bucket = buckets.get(key);
      let tokens = bucket ? Math.min(limit.capacity, bucket.tokens + (now - bucket.at) * limit.refillPerMs) : limit.capacity;
      const allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      if (!bucket && buckets.size >= MAX_KEYS) evictFull(buckets, limit, now);
      buckets.set(key, { tokens, at: now });
      return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / limit.refillPerMs / 1000)) };
    },
  };
}

/** Buckets that have refilled completely carry no information: drop them. */
function evictFull(buckets: Map<string, Bucket>, limit: Limit, now: number) {
  for (const [key, b] of buckets) if (b.tokens + (now - b.at) * limit.refillPerMs >= limit.capacity) buckets.delete(key);
  if (buckets.size >= MAX_KEYS) buckets.clear();
}
