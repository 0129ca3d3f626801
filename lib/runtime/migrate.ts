// Applies committed migrations with `prisma migrate deploy` before anything serves.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Database } from "./embedded-db";

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
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma ${args.join(" ")} failed (exit ${code})\n${output}`)),
    );
  });
}

/**
 * `prisma migrate deploy`, skipped when every committed migration is already
 * applied: the CLI costs seconds to start, a catalog query milliseconds.
 */
export async function migrateDeploy(db: Pick<Database, "url" | "embedded">): Promise<void> {
  if (await allMigrationsApplied(db.url)) return;
  await runPrisma(["migrate", "deploy"], db, true);
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
