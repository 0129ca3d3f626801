// Two servers sharing one embedded database: the second outlives the first,
// which owned the database's process.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { startServer, type TestServer } from "../harness/server";

const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

test("a second server on the same embedded database keeps working after the first one stops", { timeout: 240_000 }, async () => {
  const first = await startServer({ name: "first" });
  servers.push(first);
  const dataDir = first.env.GRANTRY_DATA_DIR!;
  const second = await startServer({ name: "second", env: { GRANTRY_DATA_DIR: dataDir } });
  servers.push(second);
  const lockPath = path.join(dataDir, "embedded-db.lock");
  const ownerBefore = JSON.parse(fs.readFileSync(lockPath, "utf8")) as { pid: number; port: number };
  assert.equal(second.env.DATABASE_URL, first.env.DATABASE_URL, "the second server reuses the first one's database");

  await first.stop();
  await until("the second server's database answers again", 60_000, async () => (await fetch(`${second.url}/api/health`)).status === 200);
  const ownerAfter = JSON.parse(fs.readFileSync(lockPath, "utf8")) as { pid: number; port: number };
  assert.notEqual(ownerAfter.pid, ownerBefore.pid, "a new embedded server owns the directory");
  assert.equal(ownerAfter.port, ownerBefore.port, "on the same port, where the connections point");
  const setup = await fetch(`${second.url}/setup`);
  assert.equal(setup.status, 200, "the dashboard reads the database too");

  await second.stop();
  await until("the lock is released", 15_000, async () => !fs.existsSync(lockPath));
});
