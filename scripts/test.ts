// `npm test`: unit tests, the integration suite over HTTP against real servers
// (embedded database + native fast path, PostgreSQL + fast path, PostgreSQL +
// Next route handlers only), and the Playwright end-to-end tests in Debian's
// Chromium. Ends with one line: "N passed, N failed".
// Then the resilience tests (rate limits, Redis, database outage), each on
// servers of their own. A failing unit test stops the run before the rest. Options: --only unit|integration|e2e|resilience
// (repeatable), --skip-build, --files SUBSTRING (only test files whose path
// contains it, repeatable), --config NAME (only that integration server:
// embedded-fastpath, postgres-fastpath or postgres-nextjs; repeatable).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { scanServerLogs } from "../tests/harness/log-scan";
import { type Counts, findFiles, runNodeTests } from "../tests/harness/node-tests";
import { startPostgres, type Postgres } from "../tests/harness/postgres";
import { startServer, type TestServer } from "../tests/harness/server";

const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (a === "--only" ? [args[i + 1]] : []));
const wants = (suite: string) => only.length === 0 || only.includes(suite);
const fileFilters = args.flatMap((a, i) => (a === "--files" ? [args[i + 1]!] : []));
const configFilters = args.flatMap((a, i) => (a === "--config" ? [args[i + 1]!] : []));
const pick = (files: string[]) => (fileFilters.length ? files.filter((f) => fileFilters.some((s) => f.includes(s))) : files);
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
};
const cleanups: Array<() => Promise<void> | void> = [];
const serverLogs: string[] = [];

async function integration(postgres: Postgres) {
  const files = pick(findFiles("tests/integration", ".test.ts"));
  // postgres-nextjs differs from postgres-fastpath only in who answers the protocol's paths and the
  // Management API (Next's route handlers instead of the front server) and in running Next.js in the
  // server's process: it runs the protocol and foundation tests, and enough of the Management API's to
  // cover its Next adapter (lib/http/management-route.ts); the rest would run the same dispatcher on
  // the same database a second time.
  const configs = [
    { name: "embedded-fastpath", only: undefined },
    { name: "postgres-fastpath", databaseUrl: postgres.createDatabase("grantry_fast"), only: undefined },
    {
      name: "postgres-nextjs",
      databaseUrl: postgres.createDatabase("grantry_next"),
      fastPath: false,
      only: [
        "tests/integration/protocol/",
        "tests/integration/foundation/",
        "tests/integration/management/auth.test.ts",
        "tests/integration/management/script.test.ts",
      ],
    },
  ];
  for (const config of configs) {
    if (configFilters.length && !configFilters.includes(config.name)) continue;
    const started = Date.now();
    const server = await startServer(config);
    cleanups.push(server.stop);
    serverLogs.push(server.logFile);
    const only = config.only;
    add(
      await runNodeTests(config.name, only ? files.filter((f) => only.some((dir) => f.startsWith(dir))) : files, {
        ...server.env,
        GRANTRY_TEST_URL: server.url,
        GRANTRY_TEST_DB: config.databaseUrl ? "postgres" : "embedded",
        GRANTRY_TEST_FAST_PATH: config.fastPath === false ? "0" : "1",
        GRANTRY_TEST_SERVER_LOG: server.logFile,
      }),
    );
    await server.stop();
    console.log(`[${config.name}] took ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

async function e2e() {
  const server: TestServer = await startServer({ name: "e2e" });
  cleanups.push(server.stop);
  serverLogs.push(server.logFile);
  const report = path.resolve(".tmp", "playwright-report.json");
  fs.mkdirSync(path.dirname(report), { recursive: true });
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [path.join("node_modules", "@playwright", "test", "cli.js"), "test", ...fileFilters], {
      env: { ...process.env, ...server.env, E2E_BASE_URL: server.url, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
      stdio: "inherit",
    });
    child.on("exit", (c) => resolve(c ?? 1));
  });
  await server.stop();
  const stats = fs.existsSync(report)
    ? (JSON.parse(fs.readFileSync(report, "utf8")) as { stats?: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats
    : undefined;
  const counts = stats ? { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped } : { passed: 0, failed: 1, skipped: 0 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  console.log(`[e2e] ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  add(counts);
}

async function main() {
  if (wants("unit")) {
    add(
      await runNodeTests(
        "unit",
        pick([
          ...findFiles("lib", ".test.ts"),
          ...findFiles("cli", ".test.ts"),
          ...findFiles("components", ".test.ts"),
          ...findFiles("bench", ".test.ts"),
          // The npm packages: against stand-in servers, oidc-provider and redis-server, and packed into an empty directory.
          ...findFiles("packages", ".test.ts"),
        ]),
        {},
        2,
      ),
    );
    // The fast gate: a failing unit test stops the run before the slow tiers (builds, servers, browsers).
    if (total.failed > 0 && only.length !== 1) throw new Error("unit tests failed: the integration, end-to-end and resilience tiers were not run");
  }
  if (wants("integration") || wants("e2e") || wants("resilience")) {
    // `npm run build`: the dashboard (skipped with --skip-build: it takes minutes), the
    // compiled server (always: a second, and a stale one would test old code) and the npm
    // packages (examples/resource-server and the Quickstart's Node.js sample load their builds).
    const steps = [
      ...(args.includes("--skip-build") ? [] : [[path.join("node_modules", "next", "dist", "bin", "next"), "build"]]),
      [path.join("scripts", "build-server.mjs")],
      [path.join("scripts", "build-packages.mjs")],
    ];
    for (const step of steps) {
      const build = spawnSync(process.execPath, step, { stdio: ["ignore", "pipe", "inherit"] });
      if (build.status !== 0) {
        console.log(build.stdout?.toString());
        throw new Error(`${step.join(" ")} failed`);
      }
    }
  }
  if (wants("integration")) {
    const postgres = await startPostgres();
    cleanups.push(postgres.stop);
    await integration(postgres);
  }
  if (wants("e2e")) await e2e();
  if (wants("resilience")) add(await runNodeTests("resilience", pick(findFiles("tests/resilience", ".test.ts")), {}));
  if (serverLogs.length) add(scanServerLogs(serverLogs));
}

async function cleanup() {
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => {});
}

main()
  .catch((error: Error) => {
    console.error(`test run failed: ${error.message}`);
    total.failed += 1;
  })
  .finally(async () => {
    await cleanup();
    console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
    process.exit(total.failed || total.passed === 0 ? 1 : 0);
  });
