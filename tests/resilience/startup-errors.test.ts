// Start-up errors name the real cause: a data directory on a read-only
// filesystem was reported as ENOENT (Node's recursive mkdir), sending the
// operator looking for a missing directory; a wrong setting is named before
// anything starts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { freePort } from "../../lib/runtime/free-port";

const cleanups: Array<() => void> = [];
after(() => cleanups.reverse().forEach((fn) => fn()));

/** `npm start` with this data directory: its exit status and output (it fails before anything is started). */
async function start(dataDir: string, extra: Record<string, string> = {}): Promise<{ status: number | null; output: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, GRANTRY_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", ...extra };
  delete env.DATABASE_URL;
  const res = spawnSync(process.execPath, ["scripts/start.mjs"], { env, encoding: "utf8", timeout: 60_000 });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

test("a data directory on a read-only filesystem: named as such, exit 1", { timeout: 90_000 }, async (t) => {
  if (process.getuid?.() !== 0) {
    // Mounting a read-only filesystem needs root; CI runs as root, so there this never skips.
    assert.ok(!process.env.CI, "this test must run as root in CI");
    t.skip("needs root to mount a read-only filesystem");
    return;
  }
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-ro-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mountPoint], { encoding: "utf8" });
  assert.equal(mounted.status, 0, `mount failed: ${mounted.stderr}`);
  cleanups.push(() => void spawnSync("umount", [mountPoint]));
  const { status, output } = await start(path.join(mountPoint, "grantry", "data"));
  assert.equal(status, 1);
  assert.equal(
    output,
    `Grantry failed to start: GRANTRY_DATA_DIR ${path.join(mountPoint, "grantry", "data")}: ${path.join(mountPoint, "grantry")} is on a read-only filesystem: point it at a writable directory\n`,
  );
});

test("a file where the data directory's parent should be: named as such, exit 1", { timeout: 90_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-notdir-"));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, "file"), "");
  const { status, output } = await start(path.join(root, "file", "data"));
  assert.equal(status, 1);
  assert.equal(
    output,
    `Grantry failed to start: GRANTRY_DATA_DIR ${path.join(root, "file", "data")}: ${path.join(root, "file")} exists and is not a directory\n`,
  );
});

test("wrong settings: each named (lib/env.ts), exit 2, before anything is started", { timeout: 90_000 }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-badenv-"));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const dataDir = path.join(root, "data");
  const { status, output } = await start(dataDir, {
    GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "lots",
    GRANTRY_DB_POOL_SIZE: "ten",
    REDIS_URL: "http://:hunter2@127.0.0.1:6379",
    GRANTRY_BATCH_SCHEDULING: "yes",
  });
  assert.equal(status, 2);
  assert.match(output, /^Invalid configuration: [^\n]*\n$/, "one line");
  assert.match(output, /GRANTRY_DB_POOL_SIZE: /);
  assert.match(output, /GRANTRY_RATE_LIMIT_TOKEN_CLIENT: Invalid rate limit "lots": expected e\.g\. 100\/1m, 20\/10s or off/);
  assert.match(output, /GRANTRY_BATCH_SCHEDULING: /);
  assert.match(output, /REDIS_URL: a redis:\/\/ or rediss:\/\/ URL/);
  assert.ok(!output.includes("hunter2"), "a URL's password is not printed");
  assert.ok(!fs.existsSync(dataDir), "nothing was started: no data directory");
});
