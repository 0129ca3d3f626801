// Half-broken starts and what the probes say: a port already in use stops
// start-up at once with one clear line and leaves no process behind; with
// Redis gone, liveness still answers while readiness names redis.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { freePort, isListening } from "../../lib/runtime/free-port";
import { startServer, TEST_ENCRYPTION_KEY } from "../harness/server";

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Live processes whose process group is `pgid`. */
function processGroup(pgid: number): { pid: number; cmdline: string }[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(pgrp) === pgid && state !== "Z" ? [{ pid: Number(d), cmdline: fs.readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ") }] : [];
      } catch {
        return [];
      }
    });
}

test("a port already in use: one clear line, a non-zero exit within seconds, and no process left behind", { timeout: 60_000 }, async () => {
  const port = await freePort();
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-port-in-use-"));
  const started = Date.now();
  // Its own process group, so that anything it spawned is found afterwards.
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: "", NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", GRANTRY_DATA_DIR: path.join(dir, "data"), GRANTRY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, NEXTAUTH_SECRET: "test-nextauth-secret-0123456789abcdef" },
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  const ms = Date.now() - started;
  cleanups.push(() => {
    for (const p of processGroup(child.pid!)) process.kill(p.pid, "SIGKILL");
  });
  assert.notEqual(code, 0, "a non-zero exit");
  assert.match(output, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  assert.equal(output.trim().split("\n").length, 1, `one line, not a stack trace:\n${output}`);
  assert.ok(ms < 15_000, `refused in ${ms} ms, before the expensive start-up`);
  assert.equal(fs.existsSync(path.join(dir, "data")), false, "no database was started");
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(processGroup(child.pid!), [], "no process of its group is left");
});

test("Redis goes away: liveness still answers 200, readiness answers 503 naming redis, and 200 again when it is back", { timeout: 150_000 }, async () => {
  const port = await freePort();
  const redisArgs = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  let redis = spawn("redis-server", redisArgs, { stdio: "ignore" });
  cleanups.push(() => void redis.kill("SIGKILL"));
  for (let i = 0; i < 50 && !(await isListening(port)); i++) await new Promise((r) => setTimeout(r, 100));
  const server = await startServer({ name: "health-redis", env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  cleanups.push(server.stop);
  const ready = await fetch(`${server.url}/api/health`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: "ok", database: "ok", redis: "ok" });

  redis.kill("SIGKILL");
  await new Promise((resolve) => redis.once("exit", resolve));
  const live = await fetch(`${server.url}/api/health/live`);
  assert.equal(live.status, 200);
  assert.deepEqual(await live.json(), { status: "ok" });
  const started = Date.now();
  const down = await fetch(`${server.url}/api/health`);
  const ms = Date.now() - started;
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { status: "unavailable", database: "ok", redis: "unavailable" });
  assert.ok(ms < 5000, `readiness answered in ${ms} ms`);

  redis = spawn("redis-server", redisArgs, { stdio: "ignore" });
  let status = 0;
  for (let i = 0; i < 40 && status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await fetch(`${server.url}/api/health`)).status;
  }
  assert.equal(status, 200, "ready again once Redis is back");
});
