// `npm run db:migrate` (prisma migrate dev), as a developer runs it first: on
// a fresh database of either kind.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { startPostgres } from "../harness/postgres";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

test("npm run db:migrate works on a fresh embedded database and a fresh PostgreSQL database, and finds the schema in sync", { timeout: 300_000 }, async () => {
  const migrations = () => fs.readdirSync(path.join(ROOT, "prisma", "migrations")).sort();
  const committed = migrations();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-migrate-"));
  const postgres = await startPostgres();
  try {
    const base: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
    delete base.DATABASE_URL;
    delete base.GRANTRY_EMBEDDED_DB;
    const targets: [string, NodeJS.ProcessEnv][] = [
      ["embedded", { ...base, GRANTRY_DATA_DIR: dataDir }],
      ["PostgreSQL", { ...base, DATABASE_URL: postgres.createDatabase("grantry_migrate_dev") }],
    ];
    for (const [label, env] of targets) {
      const { stdout, stderr } = await run("npm", ["run", "db:migrate", "--", "--name", "nothing_to_change"], { cwd: ROOT, env });
      assert.match(stdout + stderr, /Already in sync/, label);
      assert.deepEqual(migrations(), committed, "no migration was generated");
    }
  } finally {
    for (const dir of migrations().filter((m) => !committed.includes(m)))
      fs.rmSync(path.join(ROOT, "prisma", "migrations", dir), { recursive: true, force: true });
    postgres.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
