// What every entry point (server, dev, CLI) does before touching the app:
// secrets, the database (embedded if none is configured), migrations, and
// the headless first admin.
import { ensureDatabase, type Database } from "./embedded-db";
import { ensureSecrets } from "./local-secrets";
import { migrateDeploy } from "./migrate";

export async function bootstrap(options: { migrate?: boolean } = {}): Promise<Database> {
  const database = await ensureDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.GRANTRY_EMBEDDED_DB = database.embedded ? "1" : "0";
  try {
    ensureSecrets(database.embedded);
    if (options.migrate !== false) await migrateDeploy(database);
    process.env.NEXTAUTH_URL ||= process.env.GRANTRY_URL || `http://localhost:${process.env.PORT || 3000}`;
    await ensureHeadlessAdmin();
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}

/** GRANTRY_ADMIN_EMAIL + GRANTRY_ADMIN_PASSWORD create the first owner when none exists. */
async function ensureHeadlessAdmin(): Promise<void> {
  const email = process.env.GRANTRY_ADMIN_EMAIL;
  const password = process.env.GRANTRY_ADMIN_PASSWORD;
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
  console.log(`Created the first owner ${email.trim().toLowerCase()}`);
}
