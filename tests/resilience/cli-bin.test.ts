// The grantry bin, as an operator runs it: from any directory.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

test(
  "the grantry bin works from any directory: a relative GRANTRY_DATA_DIR is the caller's; a CLI tenant is owned by the only admin",
  { timeout: 240_000 },
  async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-cli-"));
    const env: NodeJS.ProcessEnv = { ...process.env, GRANTRY_DATA_DIR: "data", GRANTRY_URL: "https://auth.example.com" };
    delete env.DATABASE_URL;
    delete env.GRANTRY_EMBEDDED_DB;
    const grantry = (...args: string[]) => run(process.execPath, [path.join(ROOT, "bin", "grantry.mjs"), ...args, "--json"], { cwd, env });
    try {
      await grantry("admin", "create", "--email", "cli@example.com", "--password", "a long enough password");
      const tenant = JSON.parse((await grantry("tenant", "create", "--slug", "acme")).stdout) as { owner: string; issuer: string };
      assert.deepEqual([tenant.owner, tenant.issuer], ["cli@example.com", "https://auth.example.com/t/acme"]);
      assert.ok(fs.existsSync(path.join(cwd, "data", "pgdata")), "the data directory is under the caller's directory");
      await grantry("admin", "create", "--email", "second@example.com", "--password", "a long enough password");
      await assert.rejects(
        grantry("tenant", "create", "--slug", "beta"),
        (e: { code: number; stderr: string }) => e.code === 1 && /--owner: several admins exist/.test(e.stderr),
      );
      const beta = JSON.parse((await grantry("tenant", "create", "--slug", "beta", "--owner", "second@example.com")).stdout) as { owner: string };
      assert.equal(beta.owner, "second@example.com");
      await assert.rejects(
        grantry("api", "create", "--tenant", "acme", "--name", "X", "--identifier", "https://x.example.com", "--alg", "HS256"),
        (e: { code: number; stderr: string }) => {
          const body = JSON.parse(e.stderr) as { error: { details: Record<string, string> } };
          return e.code === 1 && "--alg" in body.error.details;
        },
      );
      await assert.rejects(
        grantry("tenant", "create"),
        (e: { code: number; stderr: string }) => e.code === 2 && (JSON.parse(e.stderr) as { error: { message: string } }).error.message === "Missing --slug",
      );
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  },
);
