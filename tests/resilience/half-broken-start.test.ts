// Half-broken starts are refused, and health tells the truth: a port in use
// and an unreachable REDIS_URL stop start-up with one clear line (before the
// database is even opened, for the port); liveness answers while readiness
// names the dependency that fails (Redis, the database).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { freePort } from "../../lib/runtime/free-port";
import { survivors, processGroupMembers } from "../harness/process-group";
import { StartFailed, startServer, type TestServer } from "../harness/server";

const servers: TestServer[] = [];
const cleanups: Array<() => void> = [];
after(async () => {
  for (const server of servers) await server.stop();
  for (const fn of cleanups) fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function health(url: string, path = "/api/health"): Promise<{ status: number; body: unknown; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: await res.json(), ms: Date.now() - started };
}

test("a port already in use: one clear line and exit 1, before the database is opened", { timeout: 120_000 }, async () => {
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => busy.close());
  const port = (busy.address() as net.AddressInfo).port;
  const failed = await startServer({ name: "port-busy", env: { PORT: String(port) }, ownProcessGroup: true }).catch((e: StartFailed) => e);
  assert.ok(failed instanceof StartFailed);
  assert.match(
    failed.message,
    new RegExp(`server exited early \\(1\\):\\nGrantry failed to start: port ${port} on 127.0.0.1 is already in use: stop what listens there, or set PORT\\n$`),
  );
  assert.deepEqual(await survivors(failed.pid), [], "no process of the server's group is left");
  // Nothing was started: no embedded database, so no process can be left behind.
  const leftovers = fs
    .readdirSync(os.tmpdir())
    .filter((d) => d.startsWith("grantry-port-busy-"))
    .flatMap((d) => (fs.existsSync(path.join(os.tmpdir(), d, "data")) ? [d] : []));
  assert.deepEqual(leftovers, [], "no data directory was even created: nothing was started, so nothing is left behind");
});

test("the process-group check sees a process left behind (the control for the checks below)", async () => {
  const leftover = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
  cleanups.push(() => leftover.kill("SIGKILL"));
  assert.deepEqual(processGroupMembers(leftover.pid!), [leftover.pid]);
  assert.deepEqual(await survivors(leftover.pid!, 300), [leftover.pid]);
});

test("an unreachable REDIS_URL: production waits 5 s, then refuses to start without printing the URL", { timeout: 120_000 }, async () => {
  const closed = await freePort();
  const failed = await startServer({ name: "redis-down", env: { REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${closed}` }, ownProcessGroup: true }).catch(
    (e: StartFailed) => e,
  );
  assert.ok(failed instanceof StartFailed);
  assert.match(failed.message, /Grantry failed to start: Redis \(REDIS_URL\) did not answer within 5 s: start it, or unset REDIS_URL/);
  assert.ok(!failed.message.includes("hunter2-secret"), "the password in the URL is not printed");
  // The embedded database was started before Redis was asked: it must not outlive the refused start.
  assert.deepEqual(await survivors(failed.pid), [], "no process of the server's group is left");
});

test("liveness answers while readiness names what fails: Redis, then the database", { timeout: 150_000 }, async () => {
  const redisPort = await freePort();
  const redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  cleanups.push(() => redis.kill("SIGKILL"));
  await sleep(300);
  // The per-address token limit lives in Redis here: a token request asks Redis first. The headless
  // first owner makes the default tenant, whose token endpoint is asked.
  const server = await startServer({
    name: "readiness",
    env: {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "6000/1m",
      GRANTRY_ADMIN_EMAIL: "ops@example.com",
      GRANTRY_ADMIN_PASSWORD: "a long enough password",
    },
  });
  const token = async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=nobody&client_secret=nothing",
    });
    return {
      status: res.status,
      error: ((await res.json()) as { error?: string }).error,
      retryAfter: res.headers.get("retry-after"),
      ms: Date.now() - started,
    };
  };
  servers.push(server);
  assert.deepEqual((await health(server.url)).body, { status: "ok", database: "ok", redis: "ok" });
  assert.deepEqual(await health(server.url, "/api/health/live").then((h) => [h.status, h.body]), [200, { status: "ok" }]);

  redis.kill("SIGSTOP"); // a frozen Redis: connections open, nothing answers
  const frozen = await health(server.url);
  assert.deepEqual([frozen.status, frozen.body], [503, { status: "unavailable", database: "ok", redis: "unavailable" }]);
  assert.ok(frozen.ms < 5000, `readiness answered in ${frozen.ms} ms`);
  const live = await health(server.url, "/api/health/live");
  assert.deepEqual([live.status, live.body], [200, { status: "ok" }]);
  // A token request that needs the frozen Redis: 503 with Retry-After within Redis's 2 s bound, not a hang.
  const held = await token();
  assert.deepEqual([held.status, held.error, held.retryAfter], [503, "temporarily_unavailable", "5"]);
  assert.ok(held.ms < 3000, `the token request answered in ${held.ms} ms`);
  redis.kill("SIGCONT");
  let back = 0;
  for (let i = 0; i < 40 && back !== 200; i++) {
    back = (await health(server.url)).status;
    if (back !== 200) await sleep(250);
  }
  assert.equal(back, 200, "ready again when Redis answers");
  assert.equal((await token()).error, "invalid_client", "token requests reach client authentication again");

  // The embedded database frozen: readiness 503 naming it, within its bound; liveness still 200.
  const { pid } = JSON.parse(fs.readFileSync(path.join(server.env.GRANTRY_DATA_DIR!, "embedded-db.lock"), "utf8")) as { pid: number };
  process.kill(pid, "SIGSTOP");
  try {
    const down = await health(server.url);
    assert.deepEqual([down.status, down.body], [503, { status: "unavailable", database: "unavailable", redis: "ok" }]);
    assert.ok(down.ms < 5000, `readiness answered in ${down.ms} ms`);
    const alive = await health(server.url, "/api/health/live");
    assert.deepEqual([alive.status, alive.body], [200, { status: "ok" }]);
    assert.ok(alive.ms < 1000, `liveness answered in ${alive.ms} ms`);
  } finally {
    process.kill(pid, "SIGCONT");
  }
});
