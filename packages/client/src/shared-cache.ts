// A cache that N replicas of a service share, so they hold one token per
// audience and scope between them instead of one each, and a lock so only one
// of them asks the token endpoint when it is time to refresh. Any store can
// implement the three calls; redisTokenCache does it with Redis (node-redis
// v4 and later: only sendCommand is used, so no Redis library is a dependency
// of this package). The client never depends on the shared cache being up:
// every call is bounded by a timeout, and a failure falls back to the
// process's own cache (shared-cache errors are reported through onEvent).
import { randomUUID } from "node:crypto";

export interface SharedTokenCache {
  get(key: string): Promise<string | null>;
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Takes the refresh lock of `key` for at most `ttlMs`: a release function, or null when another holder has it. */
  lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | null>;
}

/** What redisTokenCache needs of a Redis client: node-redis's `sendCommand` (v4, v5, v6). For ioredis: `{ sendCommand: (args) => redis.call(...args) }`. */
export type RedisCommandClient = { sendCommand(args: string[]): Promise<unknown> };

// Deletes the lock only if it is still ours: after a slow refresh it may have expired and been taken by another replica.
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export function redisTokenCache(client: RedisCommandClient, options: { keyPrefix?: string } = {}): SharedTokenCache {
  const prefix = options.keyPrefix ?? "grantry-client:";
  return {
    async get(key) {
      const value = await client.sendCommand(["GET", prefix + key]);
      return typeof value === "string" ? value : value == null ? null : String(value);
    },
    async set(key, value, ttlMs) {
      await client.sendCommand(["SET", prefix + key, value, "PX", String(Math.max(1, Math.floor(ttlMs)))]);
    },
    async lock(key, ttlMs) {
      const lockKey = `${prefix}${key}:lock`;
      const owner = randomUUID();
      const taken = await client.sendCommand(["SET", lockKey, owner, "NX", "PX", String(Math.max(1, Math.floor(ttlMs)))]);
      if (taken !== "OK") return null;
      return async () => {
        await client.sendCommand(["EVAL", RELEASE, "1", lockKey, owner]);
      };
    },
  };
}

export type GuardedCache = {
  /**
   * Runs one shared-cache call within the timeout; `{ ok: false }` (and a pause of the shared cache) when it fails.
   * `late` gets the value of a call that succeeded after its timeout (a lock taken too late, to release it).
   */
  call<T>(what: string, run: (cache: SharedTokenCache) => Promise<T>, late?: (value: T) => unknown): Promise<{ ok: true; value: T } | { ok: false }>;
  /** False while the cache is left alone after a failure. */
  available(): boolean;
};

/** Wraps a shared cache: each call bounded by `timeoutMs`; after a failure it is left alone for `pauseMs`. */
export function guard(cache: SharedTokenCache, timeoutMs: number, pauseMs: number, report: (what: string, error: unknown) => void): GuardedCache {
  let pausedUntil = 0;
  return {
    available: () => Date.now() >= pausedUntil,
    async call(what, run, late) {
      if (Date.now() < pausedUntil) return { ok: false };
      let timer: ReturnType<typeof setTimeout> | undefined;
      let timedOut = false;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`the shared cache did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      const running = run(cache);
      if (late) void running.then((value) => timedOut && late(value)).catch(() => {});
      try {
        return { ok: true, value: await Promise.race([running, timeout]) };
      } catch (error) {
        pausedUntil = Date.now() + pauseMs;
        report(what, error);
        return { ok: false };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
