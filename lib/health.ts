import { db } from "@/lib/db";
import { signingKeysDecryptable } from "@/lib/domain/keys";

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

export type Readiness = { status: "ok" | "unavailable" | "degraded"; database: "ok" | "unavailable"; keys?: "undecryptable" };

/**
 * What /api/health reports: the database answers, and the signing keys open
 * under the configured encryption key (otherwise every token request fails
 * while the process looks healthy).
 */
export async function checkReadiness(): Promise<Readiness> {
  if (!(await checkDatabase())) return { status: "unavailable", database: "unavailable" };
  // A key check that does not answer in time says nothing about the keys: the database check above is the one that fails then.
  const keys = await within(signingKeysDecryptable().catch(() => null), 2000, null);
  return keys === false ? { status: "degraded", database: "ok", keys: "undecryptable" } : { status: "ok", database: "ok" };
}
