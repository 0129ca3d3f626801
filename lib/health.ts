import { db } from "@/lib/db";
import { signingKeysDecryptable } from "@/lib/domain/keys";

/** Whether the database answers within `timeoutMs`. */
export async function checkDatabase(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([db.$queryRaw`SELECT 1`.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type Readiness = { status: "ok" | "unavailable" | "degraded"; database: "ok" | "unavailable"; keys?: "undecryptable" };

/**
 * What /api/health reports: the database answers, and the signing keys open
 * under the configured encryption key (otherwise every token request fails
 * while the process looks healthy).
 */
export async function checkReadiness(): Promise<Readiness> {
  if (!(await checkDatabase())) return { status: "unavailable", database: "unavailable" };
  const keys = await signingKeysDecryptable().catch(() => true);
  return keys === false ? { status: "degraded", database: "ok", keys: "undecryptable" } : { status: "ok", database: "ok" };
}
