import { db } from "@/lib/db";
import { signingKeysDecryptable } from "@/lib/domain/keys";
import { withRedis } from "@/lib/redis";

/** `promise`'s value, or `fallback` once `timeoutMs` has passed: health never waits on a frozen database. */
async function within<T>(promise: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), timeoutMs)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the database answers within `timeoutMs`. */
export function checkDatabase(timeoutMs = 2000): Promise<boolean> {
  return within(db.$queryRaw`SELECT 1`.then(() => true, () => false), timeoutMs, false);
}

/** Whether Redis answers PING (withRedis bounds it at 2 s). */
export function checkRedis(url: string): Promise<boolean> {
  return withRedis(url, (client) => client.ping()).then(() => true, () => false);
}

export type Readiness = { status: "ok" | "unavailable" | "degraded"; database: "ok" | "unavailable"; redis?: "ok" | "unavailable"; keys?: "undecryptable" };

/**
 * What /api/health reports: the database answers, and the signing keys open
 * under the configured encryption key (otherwise every token request fails
 * while the process looks healthy), and Redis answers when REDIS_URL is set
 * (otherwise every token request answers 503). Each part is named.
 */
export async function checkReadiness(): Promise<Readiness> {
  const redisUrl = process.env.REDIS_URL;
  const [database, redisUp] = await Promise.all([checkDatabase(), redisUrl ? checkRedis(redisUrl) : Promise.resolve(null)]);
  const redis = redisUp === null ? {} : { redis: redisUp ? ("ok" as const) : ("unavailable" as const) };
  if (!database) return { status: "unavailable", database: "unavailable", ...redis };
  // A key check that does not answer in time says nothing about the keys: the database check above is the one that fails then.
  const keys = await within(signingKeysDecryptable().catch(() => null), 2000, null);
  if (keys === false) return { status: "degraded", database: "ok", ...redis, keys: "undecryptable" };
  return { status: redisUp === false ? "unavailable" : "ok", database: "ok", ...redis };
}
