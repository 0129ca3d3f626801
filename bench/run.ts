// `npm run bench`: the token endpoint against its signing limit and its peer,
// and the dashboard at 10,000 applications. See docs/performance.md and
// docs/decisions/0006-bench-method.md.
//
// 1. `next build` if the build is missing or older than the sources.
// 2. Per database (embedded, then a throwaway PostgreSQL 15): start Grantry,
//    seed 10,000 applications / 100 APIs / 20,000 grants, stop it, then time a
//    cold start (spawn → first successful token) of the server the load runs
//    against, and time its dashboard pages and their queries (timings,
//    EXPLAIN). Then, on PostgreSQL, also start `--workers 2` and the Next
//    route-handler path (GRANTRY_FAST_PATH=0). The single server is also
//    measured with secretless credentials: a private_key_jwt assertion, and a
//    client secret with a DPoP proof (targets grantry-<db>+private_key_jwt,
//    grantry-<db>+dpop), each judged against its client-secret figure.
// 3. The references on the same seed: bench/bare-server.ts (also with each
//    secretless credential: bare+private_key_jwt, bare+dpop) and
//    bench/peer-oidc-provider.ts. A secretless target runs on its base
//    server, so BENCH_TARGETS must name that too ("bare,bare+dpop").
// 4. Per algorithm: a warm-up of every server; then, per connection count,
//    ROUNDS rounds of one WINDOW s window per server, in turn (each round
//    starting one server later). Per cell the median window's tokens/s,
//    p50/p99 and CPU per token; errors summed; peak RSS; one token verified
//    per window.
// 5. bench/results.json, bench/results.md, and the table on stdout.
// Before 2., in this process: @grantry/verify against raw jose.jwtVerify (bench/verify.ts;
// its windows are half of BENCH_WINDOW; BENCH_TARGETS includes it as "verify").
//
// Configuration (environment): BENCH_WINDOW (s, 2), BENCH_ROUNDS (6), BENCH_WARMUP (s, 2),
// BENCH_CONNECTIONS ("10,50"), BENCH_NEXT_CONNECTIONS ("50"), BENCH_W2_CONNECTIONS ("50"), BENCH_ALGS
// ("RS256,ES256,EdDSA"), BENCH_TARGETS (comma list of target names, default
// all), BENCH_DBS ("embedded,postgres"), BENCH_APPS (10000), BENCH_PROFILE=1
// (CPU-profile the Grantry servers into .tmp/bench-*/profiles),
// BENCH_OUT (bench), BENCH_BUILD=0|1 (skip / force `next build`),
// BENCH_GRANTRY_ENV ("NAME=value,…" passed to the Grantry servers). For
// diagnosis: BENCH_REPEAT (1: the whole load N times, to tell drift from
// noise) and BENCH_NODE_FLAGS (e.g. "--trace-gc", for the
// Grantry and bare servers).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { runningEmbeddedUrl } from "../lib/runtime/embedded-db";
import { freePort } from "../lib/runtime/free-port";
import { startPostgres, type Postgres } from "../tests/harness/postgres";
import { TEST_ENCRYPTION_KEY } from "../tests/harness/server";
import { signIn, timePages, type PageTiming } from "./dashboard-pages";
import type { QueriesReport } from "./dashboard-queries";
import { firstToken, grantryTarget, peerTarget, runLoad, type LoadResult, type Target } from "./load";
import { measureCpu, sampleMemory, spawnProc, stopAll, tail, waitFor, type MemoryPeak, type Proc } from "./procs";
import { renderMarkdown, renderConsole, type Results, type RunRecord, type ServerRecord } from "./report";
import { ALGS, median, type Alg, type SeedData } from "./shared";
import { benchVerify } from "./verify";

const ROOT = process.cwd();
const list = (v: string | undefined, d: string) =>
  (v || d)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const config = {
  /** Seconds per window; each cell is measured in `rounds` windows. */
  window: Number(process.env.BENCH_WINDOW || 2),
  rounds: Number(process.env.BENCH_ROUNDS || 6),
  warmup: Number(process.env.BENCH_WARMUP || 2),
  connections: list(process.env.BENCH_CONNECTIONS, "10,50").map(Number),
  nextConnections: list(process.env.BENCH_NEXT_CONNECTIONS, "50").map(Number),
  w2Connections: list(process.env.BENCH_W2_CONNECTIONS, "50").map(Number),
  algs: list(process.env.BENCH_ALGS, ALGS.join(",")) as Alg[],
  dbs: list(process.env.BENCH_DBS, "embedded,postgres") as ("embedded" | "postgres")[],
  targets: process.env.BENCH_TARGETS ? list(process.env.BENCH_TARGETS, "") : null,
  profile: process.env.BENCH_PROFILE === "1",
  repeat: Number(process.env.BENCH_REPEAT || 1),
  outDir: path.resolve(process.env.BENCH_OUT || "bench"),
  /** Extra environment for the Grantry servers, e.g. "GRANTRY_CACHE_TTL_MS=600000". */
  grantryEnv: Object.fromEntries(list(process.env.BENCH_GRANTRY_ENV, "").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)])),
};
const wanted = (name: string) => !config.targets || config.targets.includes(name);
/** Diagnostic targets run only when BENCH_TARGETS names them. */
const named = (name: string) => !!config.targets?.includes(name);

const runDir = path.join(ROOT, ".tmp", `bench-${new Date().toISOString().replace(/[:.]/g, "-")}`);
fs.mkdirSync(runDir, { recursive: true });
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const started = performance.now();
let postgres: Postgres | null = null;

// --- Build ------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuild(): number | null {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = Math.max(
    ...["app", "lib", "components", "proxy.ts", "next.config.mjs"].map((p) =>
      fs.existsSync(p) ? (fs.statSync(p).isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs) : 0,
    ),
  );
  // The compiled server always (a second): a stale one would measure old code.
  if (fs.existsSync(path.join(ROOT, "scripts", "build-server.mjs"))) {
    const server = spawnSync(process.execPath, [path.join("scripts", "build-server.mjs")], { stdio: ["ignore", "inherit", "inherit"] });
    if (server.status !== 0) throw new Error("scripts/build-server.mjs failed");
  }
  if (process.env.BENCH_BUILD === "0" || (process.env.BENCH_BUILD !== "1" && built > sources)) return null;
  log("next build (the build is missing or older than the sources)…");
  const t = performance.now();
  const result = spawnSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error("next build failed");
  return (performance.now() - t) / 1000;
}

// --- Grantry servers ----------------------------------------------------------

type Grantry = { proc: Proc; url: string; env: Record<string, string> };

async function startGrantry(
  name: string,
  db: { dataDir?: string; url?: string },
  options: { fastPath?: boolean; workers?: number; ready: (url: string) => Promise<boolean> },
): Promise<Grantry & { readyMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    GRANTRY_URL: url,
    NEXTAUTH_URL: url,
    GRANTRY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    NEXTAUTH_SECRET: "bench-nextauth-secret-0123456789abcdef",
    GRANTRY_FAST_PATH: options.fastPath === false ? "0" : "1",
    GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "off",
    GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "off",
    ...config.grantryEnv,
    ...(db.url ? { DATABASE_URL: db.url } : { GRANTRY_DATA_DIR: db.dataDir!, DATABASE_URL: "" }),
  };
  const args = [
    ...profileArgs(name),
    ...nodeFlags(),
    // What `npm start` runs: the compiled server (checkouts from before it existed: server.ts through tsx).
    ...(fs.existsSync(path.join(ROOT, "scripts", "build-server.mjs")) ? ["scripts/start.mjs"] : ["--import", "tsx", "server.ts"]),
    ...(options.workers ? ["--workers", String(options.workers)] : []),
  ];
  const proc = spawnProc(name, args, env, runDir);
  const readyMs = await waitFor(proc, () => options.ready(url), 180_000, 50);
  return { proc, url, env, readyMs };
}

/** BENCH_NODE_FLAGS: extra node flags for the servers measured (e.g. "--trace-gc"), for diagnosis. */
const nodeFlags = () => list(process.env.BENCH_NODE_FLAGS, "").flatMap((f) => f.split(" "));

function profileArgs(name: string): string[] {
  return config.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.join(runDir, "profiles", name)}`] : [];
}

const healthy = async (url: string) => (await fetch(`${url}/api/health`)).status === 200;

function runChild(script: string, args: string[], env: Record<string, string>, name: string): void {
  const logFile = path.join(runDir, `${name}.log`);
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, NODE_ENV: "production", ...env },
    encoding: "utf8",
  });
  fs.writeFileSync(logFile, `${result.stdout}\n${result.stderr}`);
  if (result.status !== 0) throw new Error(`${script} failed:\n${tail(logFile)}`);
  const last = result.stdout.trim().split("\n").at(-1);
  if (last) log(last);
}

// --- Machine ------------------------------------------------------------------

function machine() {
  const cpu = os.cpus()[0]?.model ?? "unknown";
  return {
    nproc: os.availableParallelism(),
    cpu,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

const loadavg = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
function uptime(): string {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${loadavg().join(", ")}`;
  }
}

/** The CPU time this machine's cores were given to other virtual machines (steal) and in all, from /proc/stat; null where there is none. */
function cpuTicks(): { steal: number; total: number } | null {
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

// --- Main -----------------------------------------------------------------------

async function main() {
  const ticksBefore = cpuTicks();
  const results: Results = {
    date: new Date().toISOString(),
    machine: machine(),
    loadBefore: uptime(),
    stealPercent: null,
    loadAfter: "",
    config: {
      window: config.window,
      rounds: config.rounds,
      warmup: config.warmup,
      connections: config.connections,
      nextConnections: config.nextConnections,
      algs: config.algs,
      grantryEnv: config.grantryEnv,
    },
    buildSeconds: ensureBuild(),
    seed: {},
    coldStart: [],
    servers: [],
    runs: [],
    dashboard: { pages: {}, queries: {} },
    totalSeconds: 0,
  };
  log(`machine: ${results.machine.nproc} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, node ${results.machine.node}; ${results.loadBefore}`);

  // In this process, before any server starts: @grantry/verify against raw jose.jwtVerify.
  if (wanted("verify")) {
    try {
      results.verify = await benchVerify({ windowMs: config.window * 500, rounds: config.rounds, log });
    } catch (error) {
      results.verify = { error: (error as Error).message };
    }
  }

  /** `databasePid`: the PostgreSQL server's postmaster, whose CPU is counted apart (the embedded database is found in the server's own tree). */
  const targets: { name: string; label: string; target: Target; pid: number; databasePid?: number; alg?: Alg; connections: number[]; seed: SeedData }[] = [];
  let referenceSeed: SeedData | null = null;

  for (const dbKind of config.dbs) {
    const tag = dbKind === "embedded" ? "embedded DB" : "PostgreSQL";
    let db: { dataDir?: string; url?: string };
    if (dbKind === "embedded") {
      db = { dataDir: path.join(runDir, "embedded-data") };
    } else {
      log("starting a throwaway PostgreSQL 15…");
      postgres = await startPostgres();
      db = { url: postgres.createDatabase("grantry_bench") };
    }

    // Seed through a first server (it creates the database and runs migrations).
    const first = await startGrantry(`grantry-${dbKind}-setup`, db, { ready: healthy });
    log(`${tag}: server up in ${(first.readyMs / 1000).toFixed(1)} s (fresh database, migrations); seeding…`);
    const seedFile = path.join(runDir, `seed-${dbKind}.json`);
    const dbUrl = db.url ?? embeddedUrl(db.dataDir!);
    runChild(
      "bench/seed.ts",
      [seedFile],
      { DATABASE_URL: dbUrl, GRANTRY_URL: first.url, GRANTRY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BENCH_APPS: process.env.BENCH_APPS ?? "" },
      `seed-${dbKind}`,
    );
    const seed = JSON.parse(fs.readFileSync(seedFile, "utf8")) as SeedData;
    results.seed[dbKind] = { ...seed.counts, seconds: Math.round(seed.seconds * 10) / 10 };
    referenceSeed ??= seed;
    await first.proc.stop();

    // Cold start: spawn → first successful token, with the 10,000 applications in place.
    const probe = seed.mix.ES256[0] ?? seed.mix.RS256[0]!;
    const tokenReady = (url: string) => firstToken(grantryTarget(url), probe);
    const variants: { name: string; label: string; workers?: number; fastPath?: boolean; connections: number[] }[] = [
      { name: `grantry-${dbKind}`, label: `Grantry (${tag})`, connections: config.connections },
    ];
    if (dbKind === "postgres") {
      variants.push({ name: "grantry-postgres-w2", label: "Grantry --workers 2 (PostgreSQL)", workers: 2, connections: config.w2Connections });
      variants.push({
        name: "grantry-postgres-next",
        label: "Grantry via Next route handler (PostgreSQL)",
        fastPath: false,
        connections: config.nextConnections,
      });
    }
    // The single instance starts alone (its cold start is the one reported as
    // such); the other variants start together afterwards, to save time.
    const start = async (v: (typeof variants)[number], alone: boolean) => {
      const server = await startGrantry(v.name, db, { workers: v.workers, fastPath: v.fastPath, ready: tokenReady });
      results.coldStart.push({ server: v.label, firstTokenMs: Math.round(server.readyMs), alone });
      log(`${v.label}: first token ${(server.readyMs / 1000).toFixed(2)} s after spawn${alone ? "" : " (started together with another server)"}`);
      const add = (name: string, label: string, target: Target) =>
        targets.push({
          name,
          label,
          target,
          pid: server.proc.pid,
          databasePid: dbKind === "postgres" ? postgres?.pid() : undefined,
          connections: v.connections,
          seed,
        });
      add(v.name, v.label, grantryTarget(server.url));
      if (v.name !== `grantry-${dbKind}`) return;
      // The same server, the same clients: only the credential differs.
      for (const credential of ["private_key_jwt", "dpop"] as const) {
        const name = `${v.name}+${credential}`;
        if (wanted(name)) {
          add(name, `${v.label} ${credential === "dpop" ? "DPoP" : credential}`, { ...grantryTarget(server.url), credential, assertionKey: seed.assertionKey });
        }
      }
    };
    const [single, ...others] = variants.filter((v) => wanted(v.name));
    if (single) await start(single, true);

    // The embedded database restarted with the server, on a new port (and runs
    // only while a Grantry server for it does).
    const liveDbUrl = db.url ?? (fs.existsSync(path.join(db.dataDir!, "embedded-db.lock")) ? embeddedUrl(db.dataDir!) : "");

    // Dashboard at scale, on the single-instance server, before the other
    // variants start: their start-up (Next.js, snapshot loads) would be
    // measured too.
    const instance = targets.find((t) => t.name === `grantry-${dbKind}`);
    if (instance) {
      const dashboard = await measureDashboard(instance.target.url, seed, liveDbUrl, dbKind);
      results.dashboard.pages[dbKind] = dashboard.pages;
      results.dashboard.queries[dbKind] = dashboard.queries;
    }
    await Promise.all(others.map((v) => start(v, others.length === 1)));

    // Diagnostic: lib/oauth on bare node:http, same database, no Next in the process.
    if (named(`grantry-oauth-only-${dbKind}`) && liveDbUrl) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = {
        NODE_ENV: "production",
        DATABASE_URL: liveDbUrl,
        GRANTRY_URL: url,
        GRANTRY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        GRANTRY_EMBEDDED_DB: dbKind === "embedded" ? "1" : "0",
        GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "off",
        GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "off",
        ...config.grantryEnv,
      };
      const proc = spawnProc(
        `grantry-oauth-only-${dbKind}`,
        [...profileArgs(`grantry-oauth-only-${dbKind}`), "--import", "tsx", "bench/oauth-only-server.ts", "--port", String(port)],
        env,
        runDir,
      );
      await waitFor(proc, () => firstToken(grantryTarget(url), probe));
      targets.push({
        name: `grantry-oauth-only-${dbKind}`,
        label: `lib/oauth without Next (${tag})`,
        target: grantryTarget(url),
        pid: proc.pid,
        databasePid: dbKind === "postgres" ? postgres?.pid() : undefined,
        connections: config.connections,
        seed,
      });
    }
  }

  // The references, on the first database's seed (same clients, grants, APIs).
  if (referenceSeed) {
    const seedFile = path.join(runDir, `seed-${config.dbs[0]}.json`);
    if (wanted("bare")) {
      const port = await freePort();
      const proc = spawnProc(
        "bare",
        [...profileArgs("bare"), ...nodeFlags(), "--import", "tsx", "bench/bare-server.ts", "--data", seedFile, "--port", String(port)],
        { NODE_ENV: "production" },
        runDir,
      );
      const url = `http://127.0.0.1:${port}`;
      const target = grantryTarget(url);
      await waitFor(proc, () => firstToken(target, referenceSeed.mix.ES256[0]!));
      targets.push({ name: "bare", label: "Bare node:http + jose", target, pid: proc.pid, connections: config.connections, seed: referenceSeed });
      // The same bare server with each secretless credential: the reference for Grantry's secretless rows (× bare).
      for (const credential of ["private_key_jwt", "dpop"] as const) {
        const name = `bare+${credential}`;
        if (!wanted(name)) continue;
        const label = `Bare node:http + jose ${credential === "dpop" ? "DPoP" : credential}`;
        targets.push({
          name,
          label,
          target: { ...target, credential, assertionKey: referenceSeed.assertionKey },
          pid: proc.pid,
          connections: config.connections,
          seed: referenceSeed,
        });
      }
    }
    if (wanted("peer")) {
      const port = await freePort();
      const proc = spawnProc(
        "peer",
        [...profileArgs("peer"), "--import", "tsx", "bench/peer-oidc-provider.ts", "--data", seedFile, "--port", String(port)],
        { NODE_ENV: "production" },
        runDir,
      );
      const url = `http://127.0.0.1:${port}`;
      const target = peerTarget(url);
      await waitFor(proc, () => firstToken(target, referenceSeed.mix.ES256[0]!));
      targets.push({ name: "peer", label: "oidc-provider", target, pid: proc.pid, connections: config.connections, seed: referenceSeed });
    }
  }

  // The load, per algorithm and connection count: every server in turn, in
  // short windows repeated over several rounds (each round starting one server
  // later), each cell reported as the median of its windows. The machine's
  // other tenants come and go within seconds; back-to-back 10 s runs let one
  // burst decide a ratio (docs/decisions/0006-bench-method.md).
  const memory = new Map<string, MemoryPeak>();
  const order = [
    "bare",
    "bare+private_key_jwt",
    "bare+dpop",
    "peer",
    "grantry-oauth-only-embedded",
    "grantry-embedded",
    "grantry-embedded+private_key_jwt",
    "grantry-embedded+dpop",
    "grantry-oauth-only-postgres",
    "grantry-postgres",
    "grantry-postgres+private_key_jwt",
    "grantry-postgres+dpop",
    "grantry-postgres-w2",
    "grantry-postgres-next",
  ];
  targets.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const levels = [...new Set(targets.flatMap((t) => t.connections))].sort((a, b) => a - b);
  for (let repeat = 0; repeat < config.repeat; repeat++)
    for (const alg of config.algs) {
      if (config.warmup > 0) for (const t of targets) await runLoad(t.target, alg, t.seed.mix[alg], Math.max(...t.connections), config.warmup, false);
      for (const connections of levels) {
        const here = targets.filter((t) => t.connections.includes(connections));
        const windows = new Map<string, RunRecord[]>(here.map((t) => [t.name, []]));
        for (let round = 0; round < config.rounds; round++) {
          for (let i = 0; i < here.length; i++) {
            const t = here[(i + round) % here.length]!;
            const sampler = sampleMemory(t.pid);
            const cpu = measureCpu(t.pid, t.databasePid);
            const r: LoadResult = await runLoad(t.target, alg, t.seed.mix[alg], connections, config.window, true);
            const used = cpu.stop();
            const peak = sampler.stop();
            const before = memory.get(t.name) ?? { serverMiB: 0, databaseMiB: 0 };
            memory.set(t.name, { serverMiB: Math.max(before.serverMiB, peak.serverMiB), databaseMiB: Math.max(before.databaseMiB, peak.databaseMiB) });
            const perToken = (seconds: number) => (r.successes ? Math.round((seconds * 1e6) / r.successes) : null);
            windows.get(t.name)!.push({
              server: t.name,
              label: t.label,
              alg,
              ...r,
              cpuUsPerToken: perToken(used.serverSeconds),
              dbCpuUsPerToken: used.databaseSeconds ? perToken(used.databaseSeconds) : null,
              load1: loadavg()[0]!,
            });
          }
        }
        for (const t of here) {
          const record = medianOfWindows(windows.get(t.name)!);
          results.runs.push(record);
          log(
            `${alg} ${t.label.padEnd(44)} c=${String(connections).padStart(2)}  ${String(record.tokensPerSec).padStart(5)} tokens/s (${record.windows!.map((w) => w.tokensPerSec).join(" ")})  p50 ${record.p50} ms  p99 ${record.p99} ms  errors ${record.errors}  CPU ${record.cpuUsPerToken ?? "–"} µs/token${record.dbCpuUsPerToken ? ` (+ DB ${record.dbCpuUsPerToken})` : ""}${record.verified ? "  ✓ verified" : `  ✗ ${record.verifyError}`}`,
          );
        }
      }
    }
  for (const t of targets) {
    const peak = memory.get(t.name) ?? { serverMiB: 0, databaseMiB: 0 };
    const record: ServerRecord = { server: t.name, label: t.label, peakRssMiB: peak.serverMiB, embeddedDbRssMiB: peak.databaseMiB || undefined };
    results.servers.push(record);
  }

  results.loadAfter = uptime();
  const ticksAfter = cpuTicks();
  if (ticksBefore && ticksAfter && ticksAfter.total > ticksBefore.total) {
    results.stealPercent = Math.round(((ticksAfter.steal - ticksBefore.steal) / (ticksAfter.total - ticksBefore.total)) * 1000) / 10;
  }
  await stopAll();
  postgres?.stop();
  results.totalSeconds = Math.round((performance.now() - started) / 1000);

  fs.mkdirSync(config.outDir, { recursive: true });
  fs.writeFileSync(path.join(config.outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  const markdown = renderMarkdown(results);
  fs.writeFileSync(path.join(config.outDir, "results.md"), markdown);
  // A full run with the default output also refreshes the table in docs/performance.md.
  const readme = path.join(ROOT, "docs", "performance.md");
  const [begin, end] = ["<!-- bench:results:start -->", "<!-- bench:results:end -->"];
  const text = fs.readFileSync(readme, "utf8");
  if (config.outDir === path.resolve("bench") && !config.targets && config.repeat === 1 && text.includes(begin) && text.includes(end)) {
    const updated = text.slice(0, text.indexOf(begin) + begin.length) + "\n" + markdown + text.slice(text.indexOf(end));
    // Formatted as `npm run lint` expects, so that a full run leaves the docs committable.
    fs.writeFileSync(readme, await format(updated, { ...(await resolveConfig(readme)), filepath: readme }));
  }
  console.log("\n" + renderConsole(results));
  log(`done in ${results.totalSeconds} s; wrote ${path.relative(ROOT, config.outDir)}/results.json and results.md (logs in ${path.relative(ROOT, runDir)})`);
}

/** One record for a cell: the median of each measure over its windows, errors summed, verified only if every window was. */
function medianOfWindows(windows: RunRecord[]): RunRecord {
  const middle = (values: number[]) => Math.round(median(values));
  const middleOrNull = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length ? middle(known) : null;
  };
  const statuses: Record<string, number> = {};
  for (const w of windows) for (const [k, v] of Object.entries(w.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const first = windows[0]!;
  return {
    server: first.server,
    label: first.label,
    alg: first.alg,
    connections: first.connections,
    seconds: windows.reduce((sum, w) => sum + w.seconds, 0),
    tokensPerSec: middle(windows.map((w) => w.tokensPerSec)),
    p50: middle(windows.map((w) => w.p50)),
    p99: middle(windows.map((w) => w.p99)),
    successes: windows.reduce((sum, w) => sum + w.successes, 0),
    errors: windows.reduce((sum, w) => sum + w.errors, 0),
    statuses,
    verified: windows.every((w) => w.verified),
    verifyError: windows.find((w) => !w.verified)?.verifyError,
    cpuUsPerToken: middleOrNull(windows.map((w) => w.cpuUsPerToken)),
    dbCpuUsPerToken: middleOrNull(windows.map((w) => w.dbCpuUsPerToken)),
    load1: Math.max(...windows.map((w) => w.load1)),
    windows: windows.map(({ tokensPerSec, p50, p99, errors, cpuUsPerToken, dbCpuUsPerToken, load1 }) => ({
      tokensPerSec,
      p50,
      p99,
      errors,
      cpuUsPerToken,
      dbCpuUsPerToken,
      load1,
    })),
  };
}

function embeddedUrl(dataDir: string): string {
  const url = runningEmbeddedUrl(path.resolve(dataDir));
  if (!url) throw new Error(`no embedded database runs for ${dataDir}`);
  return url;
}

async function measureDashboard(
  url: string,
  seed: SeedData,
  dbUrl: string,
  dbKind: string,
): Promise<{ pages: PageTiming[] | { error: string }; queries: QueriesReport | { error: string } }> {
  const runs = Number(process.env.BENCH_DASHBOARD_RUNS || 10);
  const base = `/dashboard/${seed.tenantSlug}/applications`;
  let pages: PageTiming[] | { error: string };
  try {
    const cookie = await signIn(url, seed.admin.email, seed.admin.password);
    pages = await timePages(
      url,
      cookie,
      [
        { page: "Applications list", path: base },
        { page: `Applications search "${seed.searchTerm}"`, path: `${base}?q=${encodeURIComponent(seed.searchTerm)}` },
        { page: "Application APIServer tab", path: `${base}/${seed.sampleApplicationId}/apis` },
      ],
      runs,
    );
  } catch (error) {
    pages = { error: (error as Error).message };
  }
  let queries: QueriesReport | { error: string };
  const out = path.join(runDir, `dashboard-queries-${dbKind}.json`);
  try {
    // With the embedded database running inside the server process tree, the
    // child connects through its socket like any other client.
    runChild("bench/dashboard-queries.ts", [path.join(runDir, `seed-${dbKind}.json`), out], { DATABASE_URL: dbUrl }, `dashboard-queries-${dbKind}`);
    queries = JSON.parse(fs.readFileSync(out, "utf8")) as QueriesReport;
  } catch (error) {
    queries = { error: (error as Error).message };
  }
  const summary = Array.isArray(pages) ? pages.map((p) => `${p.page} ${p.status} ${p.medianMs} ms`).join("; ") : pages.error;
  log(`dashboard (${dbKind}): ${summary}`);
  return { pages, queries };
}

let interrupted = false;
const abort = (signal: string) => {
  if (interrupted) return;
  interrupted = true;
  log(`${signal}: stopping the servers this bench started`);
  void stopAll().finally(() => {
    postgres?.stop();
    process.exit(130);
  });
};
process.on("SIGINT", () => abort("SIGINT"));
process.on("SIGTERM", () => abort("SIGTERM"));

main().catch(async (error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  await stopAll();
  postgres?.stop();
  process.exit(1);
});
