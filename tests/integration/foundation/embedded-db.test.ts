// The embedded database: one owner per data directory, reused by the CLI and
// a second server, persistent across restarts and crashes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { startServer } from "../../harness/server";

const run = promisify(execFile);
const embedded = process.env.GRANTRY_TEST_DB === "embedded";
const readLock = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "embedded-db.lock"), "utf8")) as { pid: number; port: number };

function cliEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GRANTRY_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return env;
}

async function cli(dataDir: string, ...args: string[]) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "cli/index.ts", ...args, "--json"], { env: cliEnv(dataDir) });
  return JSON.parse(stdout) as Record<string, unknown>;
}

test("a CLI call while the server runs reuses its embedded database", { skip: !embedded && "embedded database only" }, async () => {
  const dataDir = process.env.GRANTRY_DATA_DIR!;
  const before = readLock(dataDir);
  const slug = `cli-${Date.now().toString(36)}`;
  // Other files may have created users before this one runs: name the new tenant's owner.
  const owner = `${slug}@example.com`;
  await cli(dataDir, "admin", "create", "--email", owner, "--password", "a long enough password");
  const tenant = await cli(dataDir, "tenant", "create", "--slug", slug, "--owner", owner);
  assert.equal(tenant.slug, slug);
  assert.deepEqual(readLock(dataDir), before, "the same process still owns the data directory");
  process.kill(before.pid, 0); // still alive
  const health = await fetch(`${process.env.GRANTRY_TEST_URL}/api/health`);
  assert.equal(health.status, 200);

  // The CLI is another process: the server's token cache learns of its changes
  // from the tenant's configVersion (the embedded database relays no NOTIFY).
  const audience = `https://orders.${slug}.example.com`;
  await cli(dataDir, "api", "create", "--tenant", slug, "--name", "Orders", "--identifier", audience, "--scopes", "read write");
  const app = (await cli(dataDir, "app", "create", "--tenant", slug, "--name", "Billing", "--grant", `${audience}=read`)) as {
    client_id: string;
    client_secret: string;
  };
  const token = async (scope: string) => {
    const res = await fetch(`${process.env.GRANTRY_TEST_URL}/t/${slug}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, audience, scope }),
    });
    return { status: res.status, error: ((await res.json()) as { error?: string }).error };
  };
  const until = async (scope: string, status: number) => {
    let last = await token(scope);
    for (let i = 0; i < 100 && last.status !== status; i++) last = await new Promise((r) => setTimeout(r, 200)).then(() => token(scope));
    return last;
  };
  assert.equal((await until("read", 200)).status, 200);
  assert.deepEqual(await token("write"), { status: 400, error: "invalid_scope" });
  // No miss brings this one in (invalid_scope triggers no reload): only the version check does.
  await cli(dataDir, "grant", "create", "--tenant", slug, "--client-id", app.client_id, "--audience", audience, "--scopes", "read write");
  assert.equal((await until("write", 200)).status, 200);
});

test(
  "data survives a restart, a second server reuses the database, and a crash is recovered",
  { skip: !embedded && "embedded database only", timeout: 240_000 },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-persist-"));
    const env = { GRANTRY_DATA_DIR: dataDir };
    const first = await startServer({ name: "persist-1", env });
    const owner = readLock(dataDir);
    const tenant = await cli(dataDir, "tenant", "create", "--slug", "persisted");

    // A second server on the same directory connects to the running database.
    const second = await startServer({ name: "persist-2", env });
    assert.deepEqual(readLock(dataDir), owner);
    await second.stop();
    await first.stop();
    assert.equal(fs.existsSync(path.join(dataDir, "embedded-db.lock")), false, "a clean stop releases the lock");

    // Restart: the tenant is still there.
    const third = await startServer({ name: "persist-3", env });
    const crashed = readLock(dataDir);
    // Crash: kill the server and its database process with no chance to clean up.
    process.kill(third.pid, "SIGKILL");
    process.kill(crashed.pid, "SIGKILL");
    await third.stop();
    assert.equal(fs.existsSync(path.join(dataDir, "embedded-db.lock")), true, "a crash leaves a stale lock behind");
    const fourth = await startServer({ name: "persist-4", env });
    try {
      assert.notEqual(readLock(dataDir).pid, crashed.pid, "a new owner took over the stale lock");
      await assert.rejects(cli(dataDir, "tenant", "create", "--slug", "persisted"), /already exists/);
      assert.ok(tenant.id);
    } finally {
      await fourth.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
