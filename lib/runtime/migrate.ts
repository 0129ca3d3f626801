// Applies committed migrations with `prisma migrate deploy` before anything serves.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Database } from "./embedded-db";
import { env } from "@/lib/env";

export function prismaEnv(db: Pick<Database, "url" | "embedded">): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: db.url,
    GRANTRY_EMBEDDED_DB: db.embedded ? "1" : "0",
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
}

/** Runs the Prisma CLI with the given arguments against `db`. */
export function runPrisma(args: string[], db: Pick<Database, "url" | "embedded">, quiet = false): Promise<void> {
  const cli = path.join(process.cwd(), "node_modules", "prisma", "build", "index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: prismaEnv(db),
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma ${args.join(" ")} failed (exit ${code})\n${output}`))));
  });
}

/** Our own advisory lock around `migrate deploy` (Prisma's is another key, held only while it runs). */
const MIGRATION_LOCK_KEY = 0x6772616e; // "gran"

/**
 * `prisma migrate deploy`, skipped when every committed migration is already
 * applied: the CLI costs seconds to start, a catalog query milliseconds.
 *
 * Instances starting together on PostgreSQL take turns: each waits for our
 * advisory lock (up to GRANTRY_MIGRATION_LOCK_WAIT_MS, 5 minutes by default),
 * then checks again, so the first applies the migrations and the others find
 * them applied. (Prisma's own lock gives up after 10 s, which failed one of
 * three instances started at once.) The embedded database has one owner, which
 * migrates before anyone else can connect.
 */
export async function migrateDeploy(db: Pick<Database, "url" | "embedded">): Promise<void> {
  if (await allMigrationsApplied(db.url)) return;
  if (db.embedded) return runPrisma(["migrate", "deploy"], db, true);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await takeMigrationLock(client, env().GRANTRY_MIGRATION_LOCK_WAIT_MS);
    if (!(await allMigrationsApplied(db.url))) await runPrisma(["migrate", "deploy"], db, true);
  } finally {
    // Ending the session releases the lock.
    await client.end().catch(() => {});
  }
}

async function takeMigrationLock(client: pg.Client, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATION_LOCK_KEY]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline)
      throw new Error(
        `Another instance has been migrating the database for over ${Math.round(waitMs / 1000)} s (GRANTRY_MIGRATION_LOCK_WAIT_MS): not starting on a half-migrated database`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function allMigrationsApplied(url: string): Promise<boolean> {
  const committed = fs
    .readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return committed.every((name) => applied.has(name));
  } catch {
    return false; // no migrations table yet
  } finally {
    await client.end().catch(() => {});
  }
}
