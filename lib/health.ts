import { db } from "@/lib/db";
import { env } from "@/lib/env";
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
  return within(
    db.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    ),
    timeoutMs,
    false,
  );
}

/** Whether REDIS_URL's Redis answers (withRedis is bounded at 2 s); true when none is configured. */
export function checkRedis(): Promise<boolean> {
  const url = env().REDIS_URL;
  if (!url) return Promise.resolve(true);
  return withRedis(url, (client) => client.ping()).then(
    () => true,
    () => false,
  );
}

export type Readiness = {
  status: "ok" | "unavailable" | "degraded";
  database: "ok" | "unavailable";
  /** Only when REDIS_URL is set: rate limits and quotas live there, so tokens need it. */
  redis?: "ok" | "unavailable";
  keys?: "undecryptable";
};

/**
 * What /api/health reports (readiness): the database answers, Redis answers
 * when configured, and the signing keys open under the configured encryption
 * key (otherwise every token request fails while the process looks healthy).
 * Each part is bounded in time; the failing ones are named.
 */
export async function checkReadiness(): Promise<Readiness> {
  const [database, redis] = await Promise.all([checkDatabase(), checkRedis()]);
  const redisPart = env().REDIS_URL ? { redis: redis ? ("ok" as const) : ("unavailable" as const) } : {};
  if (!database) return { status: "unavailable", database: "unavailable", ...redisPart };
  // A key check that does not answer in time says nothing about the keys: the database check above is the one that fails then.
  const keys = await within(
    signingKeysDecryptable().catch(() => null),
    2000,
    null,
  );
  if (keys === false) return { status: "degraded", database: "ok", ...redisPart, keys: "undecryptable" };
  return { status: redis ? "ok" : "unavailable", database: "ok", ...redisPart };
}
