// Cold start and idle memory of what `npm start` runs, for a before/after
// comparison of the runtime: `tsx bench/startup.ts [checkout-dir] [rounds]`.
// Each round starts the server on an embedded database that is already
// migrated (a first, unmeasured start creates it), times spawn → the first
// 200 from /api/health (the database answers) and → the first dashboard page
// (the Next.js process answers), then waits 10 s and sums the RSS of the
// server's processes (the embedded database reported apart). Prints JSON.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../lib/runtime/free-port";
import { TEST_ENCRYPTION_KEY } from "../tests/harness/server";
import { sampleMemory, spawnProc, stopAll } from "./procs";

const checkout = path.resolve(process.argv[2] ?? ".");
const rounds = Number(process.argv[3] ?? 3);
const compiled = fs.existsSync(path.join(checkout, "scripts", "build-server.mjs"));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-startup-"));
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-startup-logs-"));

async function until(url: string, started: number): Promise<number> {
  for (;;) {
    try {
      if ((await fetch(url, { redirect: "manual" })).status < 400) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 180_000) throw new Error(`${url} did not answer within 180 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Round = { healthMs: number; pageMs: number; idleServerMiB: number; idleDatabaseMiB: number };

async function once(measure: boolean): Promise<Round> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    GRANTRY_URL: url,
    NEXTAUTH_URL: url,
    GRANTRY_DATA_DIR: dataDir,
    DATABASE_URL: "",
    GRANTRY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    NEXTAUTH_SECRET: "startup-nextauth-secret-0123456789abcdef",
    GRANTRY_LOG_LEVEL: "warn",
  };
  const started = performance.now();
  const proc = spawnProc("grantry", compiled ? ["scripts/start.mjs"] : ["--import", "tsx", "server.ts"], env, logDir, checkout);
  const healthMs = await until(`${url}/api/health`, started);
  const pageMs = await until(`${url}/login`, started);
  let idle = { serverMiB: 0, databaseMiB: 0 };
  if (measure) {
    await new Promise((r) => setTimeout(r, 10_000));
    idle = sampleMemory(proc.pid).stop();
  }
  await proc.stop();
  return { healthMs: Math.round(healthMs), pageMs: Math.round(pageMs), idleServerMiB: idle.serverMiB, idleDatabaseMiB: idle.databaseMiB };
}

try {
  await once(false);
  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) results.push(await once(true));
  const median = (k: keyof Round) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
  console.log(
    JSON.stringify(
      {
        checkout,
        compiled,
        rounds: results,
        median: { healthMs: median("healthMs"), pageMs: median("pageMs"), idleServerMiB: median("idleServerMiB"), idleDatabaseMiB: median("idleDatabaseMiB") },
      },
      null,
      2,
    ),
  );
} finally {
  await stopAll();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
