// Rotating GRANTRY_ENCRYPTION_KEY with the CLI, on a private embedded database.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");

function cli(dataDir: string, env: Record<string, string>, ...args: string[]) {
  const base: NodeJS.ProcessEnv = { ...process.env, GRANTRY_DATA_DIR: dataDir, NEXTAUTH_SECRET: "x", ...env };
  delete base.DATABASE_URL;
  delete base.GRANTRY_EMBEDDED_DB;
  if (!env.GRANTRY_ENCRYPTION_KEY_PREVIOUS) delete base.GRANTRY_ENCRYPTION_KEY_PREVIOUS;
  return run(process.execPath, ["--import", "tsx", "cli/index.ts", ...args], { env: base });
}

test(
  "the CLI re-encrypts signing keys under a new encryption key, and refuses when no key opens them",
  { skip: process.env.GRANTRY_TEST_DB !== "embedded" && "runs once, on the embedded configuration", timeout: 180_000 },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-enc-"));
    try {
      const k1 = { GRANTRY_ENCRYPTION_KEY: key(1) };
      const k2 = { GRANTRY_ENCRYPTION_KEY: key(2) };
      await cli(dataDir, k1, "tenant", "create", "--slug", "enc-test");
      await assert.rejects(cli(dataDir, k2, "encryption-key", "rotate"), /No configured encryption key opens this value/);
      const { stdout } = await cli(dataDir, { ...k2, GRANTRY_ENCRYPTION_KEY_PREVIOUS: key(1) }, "encryption-key", "rotate", "--json");
      assert.ok((JSON.parse(stdout) as { reencrypted: number }).reencrypted >= 1);
      await cli(dataDir, k2, "encryption-key", "rotate"); // everything opens under the new key alone
      await assert.rejects(cli(dataDir, k1, "encryption-key", "rotate"), /No configured encryption key opens this value/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
