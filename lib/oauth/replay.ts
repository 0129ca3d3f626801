// "Used once" for client assertion `jti`s (RFC 7523 §3 item 7) and, later,
// DPoP proof `jti`s: in Redis when REDIS_URL is set, so that every replica
// sees every use; else in the memory of one process — with `--workers`, the
// cluster primary's, which the workers ask (lib/runtime/once-relay.ts), as a
// replay sent to another worker must fail too. An entry lives until the JWT
// it came from expires; a replay after that fails on `exp` instead.
import { env } from "@/lib/env";
import { withRedis } from "@/lib/redis";
import { TemporarilyUnavailable } from "./errors";

/** Past this many live entries new ones are refused (503) rather than old ones forgotten, which would let them be replayed. */
const MAX_ENTRIES = 1_000_000;

/** Asks the process that keeps the uses (a cluster worker asks its primary). */
export type SharedUses = (key: string, until: number) => Promise<boolean>;

// On globalThis: the fast path and Next's bundle must see one set of uses.
const g = globalThis as unknown as { __grantrySeenOnce?: Map<string, number>; __grantrySharedUses?: SharedUses };
const seen: Map<string, number> = (g.__grantrySeenOnce ??= new Map());

/** From now on, uses are kept by `ask`'s process instead of this one (a cluster worker without Redis). */
export function keepUsesIn(ask: SharedUses): void {
  g.__grantrySharedUses = ask;
}

/** When expired entries were last dropped: every second, so the set holds about rate × lifetime entries, not a million. */
let sweptAt = 0;
const SWEEP_EVERY_MS = 1000;

function sweep(now: number): void {
  sweptAt = now;
  // Insertion order is roughly expiry order (lifetimes are short and alike): the scan stops once it has passed 1,000 live entries.
  let live = 0;
  for (const [key, until] of seen) {
    if (until <= now) seen.delete(key);
    else if (++live > 1000) break;
  }
}

/**
 * Records `key` as used until `until` (epoch ms). True the first time, false
 * for a replay. A promise only when Redis answers: the in-memory path stays
 * synchronous.
 */
export function firstUse(key: string, until: number, now = Date.now()): boolean | Promise<boolean> {
  const url = env().REDIS_URL;
  if (url) {
    const ttl = Math.max(1, until - now);
    return withRedis(url, (client) => client.set(`grantry:once:${key}`, "1", { NX: true, PX: ttl })).then((reply) => reply === "OK");
  }
  if (g.__grantrySharedUses) return g.__grantrySharedUses(key, until);
  const previous = seen.get(key);
  if (previous !== undefined && previous > now) return false;
  if (now - sweptAt >= SWEEP_EVERY_MS) sweep(now);
  if (seen.size >= MAX_ENTRIES) {
    for (const [k, until] of seen) if (until <= now) seen.delete(k);
    if (seen.size >= MAX_ENTRIES) throw new TemporarilyUnavailable("Too many client assertions in flight to check them for replay; retry shortly", 1);
  }
  seen.set(key, until);
  return true;
}

/** For tests: forget every use. */
export function forgetUses(): void {
  seen.clear();
}

/** For tests: how many uses are held. */
export const usesHeld = (): number => seen.size;
