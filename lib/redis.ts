// The one Redis connection of a process (REDIS_URL), shared by rate limits
// and quotas. Kept on globalThis: server.ts and Next's bundle load separate
// copies of this module.
import { createClient } from "redis";
import { metrics } from "@/lib/observability/metrics";
import { log } from "@/lib/observability/log";

// Commands fail at once while disconnected instead of queueing: a token request
// must answer 503 quickly, not wait for Redis to come back.
function connect(url: string) {
  return createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
}
export type RedisClient = ReturnType<typeof connect>;
const shared = globalThis as unknown as { __grantryRedis?: Promise<RedisClient> };

export function redisClient(url: string): Promise<RedisClient> {
  if (shared.__grantryRedis) return shared.__grantryRedis;
  const pending = (async () => {
    const c = connect(url);
    // Only the message: a Redis error can carry the URL, password included.
    c.on("error", (error: Error) => log().error(`redis: ${error.message}`));
    await c.connect();
    return c;
  })();
  // A failed first connection is retried by the next request, not cached forever.
  pending.catch(() => {
    if (shared.__grantryRedis === pending) shared.__grantryRedis = undefined;
  });
  shared.__grantryRedis = pending;
  return pending;
}

export async function closeRedis(): Promise<void> {
  const pending = shared.__grantryRedis;
  shared.__grantryRedis = undefined;
  if (pending) await (await pending).quit().catch(() => {});
}

const COMMAND_TIMEOUT_MS = 2000;

/** Redis could not answer: lib/db-errors.ts counts it as a store being unavailable (503, not 500). */
export class RedisUnavailable extends Error {
  readonly code = "REDIS_UNAVAILABLE";
  constructor() {
    super("Redis is unavailable");
    this.name = "RedisUnavailable";
  }
}

/** Runs one command on the shared connection, within COMMAND_TIMEOUT_MS (a first connection may be retrying). */
export async function withRedis<T>(url: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailable()), COMMAND_TIMEOUT_MS);
  });
  const m = metrics();
  const started = performance.now();
  try {
    return await Promise.race([redisClient(url).then(command), timeout]);
  } catch {
    m.redisErrors.inc();
    throw new RedisUnavailable();
  } finally {
    clearTimeout(timer);
    m.redis.observe((performance.now() - started) / 1000);
  }
}
