// What every entry point (server, dev, CLI) does before touching the app:
// secrets, the database (embedded if none is configured), migrations, and
// the headless first admin.
import { ensureDatabase, type Database } from "./embedded-db";
import { ensureSecrets } from "./local-secrets";
import { migrateDeploy } from "./migrate";
import { env, resetEnvCache, validateEnv } from "@/lib/env";
import { log } from "@/lib/observability/log";

/**
 * `server`: the production server's start, which refuses undecryptable
 * signing keys (the CLI must still start then: it is how the operator
 * re-encrypts them).
 */
export async function bootstrap(options: { migrate?: boolean; server?: boolean } = {}): Promise<Database> {
  // A wrong value stops start-up naming the variable, before anything is started.
  validateEnv();
  const database = await ensureDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.GRANTRY_EMBEDDED_DB = database.embedded ? "1" : "0";
  try {
    ensureSecrets(database.embedded);
    if (options.migrate !== false) await migrateDeploy(database);
    if (options.server && env().NODE_ENV === "production") {
      await refuseUndecryptableKeys();
      await refuseUnreachableRedis();
    }
    process.env.NEXTAUTH_URL ||= process.env.GRANTRY_URL || `http://localhost:${process.env.PORT || 3000}`;
    // env() read before now does not know DATABASE_URL, the secrets or NEXTAUTH_URL written above.
    resetEnvCache();
    await ensureHeadlessAdmin();
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

/** bootstrap()'s counterpart for a short-lived entry point (the CLI): closes the Prisma client's pool so that the process can exit. */
export async function closeDatabaseClient(): Promise<void> {
  const { db } = await import("../db");
  await db.$disconnect();
}

/**
 * A production server whose encryption key does not open the stored signing
 * keys would start, say it is healthy, and fail every token request: refuse
 * to start instead, naming the cause.
 */
async function refuseUndecryptableKeys(): Promise<void> {
  const { signingKeysDecryptable } = await import("../domain/keys");
  if ((await signingKeysDecryptable()) === false) {
    throw new Error(
      "The stored signing keys cannot be decrypted with GRANTRY_ENCRYPTION_KEY (nor GRANTRY_ENCRYPTION_KEY_PREVIOUS): " +
        "set the key they were sealed with (during a key rotation, the old one as GRANTRY_ENCRYPTION_KEY_PREVIOUS)",
    );
  }
}

/** How long a production start waits for REDIS_URL's Redis before refusing. */
export const REDIS_START_WAIT_MS = 5000;

/**
 * With REDIS_URL set, every token request needs Redis (rate limits, quotas):
 * a server started without it would look alive and answer 503 to every token.
 * Wait a little (Redis may be starting beside us), then refuse to start.
 * The URL is not printed: it can hold a password.
 */
async function refuseUnreachableRedis(): Promise<void> {
  if (!env().REDIS_URL) return;
  const { checkRedis } = await import("../health");
  const deadline = Date.now() + REDIS_START_WAIT_MS;
  while (!(await checkRedis())) {
    if (Date.now() >= deadline)
      throw new Error(
        `Redis (REDIS_URL) did not answer within ${REDIS_START_WAIT_MS / 1000} s: start it, or unset REDIS_URL to count rate limits and quotas in this process`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** GRANTRY_ADMIN_EMAIL + GRANTRY_ADMIN_PASSWORD create the first owner when none exists. */
async function ensureHeadlessAdmin(): Promise<void> {
  const { GRANTRY_ADMIN_EMAIL: email, GRANTRY_ADMIN_PASSWORD: password } = env();
  if (!email || !password) return;
  const { hasAnyUser, createFirstOwner } = await import("../domain/members");
  const { DomainError } = await import("../domain/errors");
  if (await hasAnyUser()) return;
  try {
    await createFirstOwner({ email, password });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // Name the variables the operator set, not the domain's field names.
    const variable = { email: "GRANTRY_ADMIN_EMAIL", password: "GRANTRY_ADMIN_PASSWORD" } as Record<string, string>;
    const details = Object.entries(error.details).map(([field, message]) => `${variable[field] ?? field}: ${message}`);
    throw new Error(details.length ? details.join("; ") : error.message);
  }
  log().info(`Created the first owner ${email.trim().toLowerCase()}`);
}
