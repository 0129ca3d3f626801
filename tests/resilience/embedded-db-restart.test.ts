// The embedded database's process dies (kill -9, the OOM killer): the server
// that owns it starts it again on the same socket and data directory, token
// requests answer 200 or 503 meanwhile and 200 within seconds, and the server
// never exits. When the database cannot come back (its data directory gone),
// the server exits non-zero with the reason and leaves no process behind.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { startServer, TEST_ENCRYPTION_KEY, type TestServer } from "../harness/server";
import { seedClient, tokenRequest } from "./support";

const servers: TestServer[] = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const server of servers) await server.stop();
});

type Lock = { pid: number; port: number; owner?: number };
const lockOf = (server: TestServer): Lock => JSON.parse(fs.readFileSync(path.join(server.env.GRANTRY_DATA_DIR!, "embedded-db.lock"), "utf8")) as Lock;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return fs.readdirSync("/proc").flatMap((d) => {
    if (!/^\d+$/.test(d)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("kill -9 of the embedded database: restarted on the same socket, tokens again within 10 s, the server never exits", { timeout: 150_000 }, async () => {
  const server = await startServer({ name: "heal", env: { GRANTRY_CACHE_TTL_MS: "500" } });
  servers.push(server);
  process.env.DATABASE_URL = server.env.DATABASE_URL;
  process.env.GRANTRY_URL = server.url;
  process.env.GRANTRY_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
  const { app, api, tenant } = await seedClient();
  const token = async () => (await tokenRequest(tenant.tokenUrl, app.clientId, app.clientSecret, api.identifier)).status;
  assert.equal(await token(), 200);

  const before = lockOf(server);
  assert.equal(before.owner, server.pid, "the lock names the supervising server");
  process.kill(before.pid, "SIGKILL");
  const killedAt = Date.now();

  // Open-loop load: a request every 50 ms, whatever the answers take.
  const statuses: number[] = [];
  let firstOkAfterRestart = 0;
  const inFlight: Promise<void>[] = [];
  while (Date.now() - killedAt < 12_000) {
    inFlight.push(
      token().then(
        (status) => {
          statuses.push(status);
          const now = Date.now();
          if (status === 200 && alive(lockOf(server).pid) && lockOf(server).pid !== before.pid && !firstOkAfterRestart) firstOkAfterRestart = now - killedAt;
        },
        () => void statuses.push(0),
      ),
    );
    await sleep(50);
  }
  await Promise.all(inFlight);

  const after = lockOf(server);
  assert.notEqual(after.pid, before.pid, "a new database process");
  assert.equal(after.port, before.port, "on the same socket, where the pools point");
  assert.equal(after.owner, server.pid);
  assert.ok(alive(server.pid), "the server did not exit");
  assert.deepEqual(
    [...new Set(statuses)].filter((s) => s !== 200 && s !== 503),
    [],
    `every answer 200 or 503 (${JSON.stringify(statuses)})`,
  );
  assert.ok(firstOkAfterRestart > 0 && firstOkAfterRestart < 10_000, `tokens again after ${firstOkAfterRestart} ms`);
  assert.equal((await fetch(`${server.url}/api/health`)).status, 200);
  assert.match(
    fs.readFileSync(server.logFile, "utf8"),
    /The embedded database exited \(SIGKILL\): restarting it in \d+ ms \(attempt 1 of \d+\)[\s\S]*The embedded database is back/,
  );

  // Writes reach the restarted database and are kept: a new application gets tokens.
  const { seedApplication, seedGrant } = await import("../integration/helpers/seed");
  const fresh = await seedApplication(tenant.id, "after the restart");
  await seedGrant(tenant.id, fresh.id, api);
  let status = 0;
  for (let i = 0; i < 20 && status !== 200; i++) {
    status = (await tokenRequest(tenant.tokenUrl, fresh.clientId, fresh.clientSecret, api.identifier)).status;
    if (status !== 200) await sleep(250);
  }
  assert.equal(status, 200);
});

test("a database that cannot come back: the server exits non-zero with the reason, and no process is left", { timeout: 150_000 }, async () => {
  const server = await startServer({ name: "heal-fatal" });
  servers.push(server);
  const dataDir = server.env.GRANTRY_DATA_DIR!;
  const { pid } = lockOf(server);
  const children = childrenOf(server.pid);
  assert.ok(children.length >= 2, `the database and Next.js processes run under the server (${children.join(", ")})`);
  // The data directory goes away (a lost volume); then the database process dies.
  fs.renameSync(path.join(dataDir, "pgdata"), path.join(dataDir, "pgdata-lost"));
  process.kill(pid, "SIGKILL");

  const deadline = Date.now() + 60_000;
  while (alive(server.pid) && Date.now() < deadline) await sleep(200);
  assert.ok(!alive(server.pid), "the server exited");
  await sleep(100); // the exit event reaches this process
  assert.equal(server.exitCode(), 1, "non-zero, for a supervisor to see");
  const log = fs.readFileSync(server.logFile, "utf8");
  assert.match(
    log,
    /Grantry cannot go on: The embedded database exited \(SIGKILL\), and its data directory .*pgdata is gone: not starting an empty one in its place/,
  );
  assert.ok(!fs.existsSync(path.join(dataDir, "pgdata")), "no empty database was created in its place");
  for (const child of children) assert.ok(!alive(child), `process ${child} is gone`);
  assert.ok(!fs.existsSync(path.join(dataDir, "embedded-db.lock")), "the lock is released");
});
