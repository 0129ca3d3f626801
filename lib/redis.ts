// The one Redis connection of a process (REDIS_URL), shared by rate limits
// and quotas. Kept on globalThis: server.ts and Next's bundle load separate
// copies of this module.
import { createClient } from "redis";

function connect(url: string) {
  return createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
}
export type RedisClient = ReturnType<typeof connect>;
const shared = globalThis as unknown as { __grantryRedis?: Promise<RedisClient> };

export function redisClient(url: string): Promise<RedisClient> {
  if (shared.__grantryRedis) return shared.__grantryRedis;
  const pending = (async () => {
    const c = connect(url);
    // Only the message: a Redis error can carry the URL, password included.
    c.on("error", (error: Error) => console.error("redis:", error.message));
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
