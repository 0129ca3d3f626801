// The production server (`npm start`): the embedded database when no
// DATABASE_URL is set, migrations, then one node:http server that answers the
// OAuth protocol paths and the Management API natively and hands the dashboard
// (pages, server actions, sign-in) to a Next.js process of its own
// (lib/runtime/next-child.ts) over a unix socket.
// Measured (docs/performance.md): Next's pipeline costs ~1.5 ms of CPU per request; the native
// path is what lets the token endpoint approach its signing limit. And Next.js
// in the same process (its patched globals and promise hooks) cost that path
// about a third of its CPU (docs/decisions/0001-native-protocol-server.md).
import type { ChildProcess } from "node:child_process";
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import { CLIENT_ADDRESS_HEADER } from "./lib/client-address";
import { refuseUnservable } from "./lib/http/unservable";
import { logUnexpected } from "./lib/unexpected";
import { assignRequestId, logWhenDone } from "./lib/observability/request-log";
import { startTracing, stopTracing, traceRequest } from "./lib/observability/tracing";
import { flushLog, log } from "./lib/observability/log";
import { env, validateEnv } from "./lib/env";
import { bootstrap } from "./lib/runtime/bootstrap";
import { flag } from "./lib/runtime/flags";
import { assertPortFree } from "./lib/runtime/port-check";
import type { Database } from "./lib/runtime/embedded-db";
import type { NextProcess } from "./lib/runtime/next-process";

// process.env itself, not env(): bootstrap has yet to write DATABASE_URL and
// the secrets. validateEnv() below checks every variable before anything starts.
(process.env as Record<string, string>).NODE_ENV ||= "production";
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
process.env.GRANTRY_URL ||= `http://localhost:${port}`;

/**
 * `npm start -- --workers N` (or GRANTRY_WORKERS=N): N processes share the port
 * through node:cluster. Absent or 1: one process, exactly as without the flag.
 */
function workerCount(): number {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === "--workers" || a.startsWith("--workers="));
  const raw = i === -1 ? process.env.GRANTRY_WORKERS : argv[i]!.includes("=") ? argv[i]!.split("=")[1] : argv[i + 1];
  if (raw === undefined || raw === "") return 1;
  const n = raw === "auto" ? os.availableParallelism() : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--workers must be a positive integer or "auto", not "${raw}"`);
  return n;
}

/**
 * A cluster worker does not bootstrap: the primary has already started the
 * embedded database (if any), checked the secrets and applied migrations, and
 * its environment (DATABASE_URL, GRANTRY_EMBEDDED_DB, secrets) is inherited.
 * The primary alone owns the embedded database and stops it.
 */
function inheritedDatabase(): Database {
  return { url: process.env.DATABASE_URL!, embedded: process.env.GRANTRY_EMBEDDED_DB === "1", owner: false, stop: async () => {} };
}

/**
 * Where requests the protocol server does not answer go. With the fast path:
 * to the Next.js process (lib/runtime/next-child.ts), started here, or by the
 * cluster primary for all workers. Without it: to Next.js in this process,
 * which then also answers the protocol paths through its route handlers.
 */
async function dashboardHandler(
  fastPath: boolean,
): Promise<{ handle: (req: http.IncomingMessage, res: http.ServerResponse) => void; nextProcess: NextProcess | null }> {
  const { relayConfigChanges } = await import("./lib/runtime/config-relay");
  if (cluster.isWorker) relayConfigChanges(process);
  if (cluster.isWorker && !process.env.REDIS_URL) (await import("./lib/runtime/once-relay")).askPrimaryForUses(process);
  if (!fastPath) {
    const { default: next } = await import("next");
    const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
    const handle = app.getRequestHandler();
    await app.prepare();
    return { handle: (req, res) => void handle(req, res), nextProcess: null };
  }
  const { proxyToNext } = await import("./lib/runtime/proxy");
  if (cluster.isWorker) return { handle: proxyToNext(process.env.GRANTRY_NEXT_SOCKET!), nextProcess: null };
  const { startNextProcess } = await import("./lib/runtime/next-process");
  const nextProcess = startNextProcess((child) => child.once("exit", relayConfigChanges(child)));
  return { handle: proxyToNext(nextProcess.socketPath), nextProcess };
}

/** Liveness: the process answers. No database or other dependency is asked (that is /api/health's readiness). */
const LIVENESS_PATH = "/api/health/live";

/** GRANTRY_METRICS_PORT: the metrics listener, started early so that a port conflict stops start-up at once. */
async function serveMetrics(options: { cluster?: boolean } = {}): Promise<void> {
  const { metricsPort, startMetricsServer } = await import("./lib/observability/metrics-server");
  const metricsAt = metricsPort();
  if (metricsAt !== null) await startMetricsServer(metricsAt, options);
}

async function main() {
  if (cluster.isPrimary) {
    await assertPortFree(port, host);
    await serveMetrics();
  }
  const database = cluster.isWorker ? inheritedDatabase() : await bootstrap({ server: true });
  if (flag("GRANTRY_BATCH_SCHEDULING", true)) await batchSigningThreads();
  const fastPath = flag("GRANTRY_FAST_PATH", true);
  await startTracing();
  const protocol = fastPath ? await import("./lib/oauth/node-adapter") : null;
  // The Management API is framework-free: answered here too, not by Next.js (lib/http/node-management.ts).
  const management = fastPath ? await import("./lib/http/node-management") : null;
  const { handle, nextProcess } = await dashboardHandler(fastPath);
  const usage = await import("./lib/oauth/usage");
  const tokenLog = await import("./lib/oauth/token-log");
  const { stopConfigListener } = await import("./lib/oauth/listen");

  // The socket's address, for the dashboard's rate limits; never a value the client sent.
  // Set only on requests that go on to Next.js: the protocol reads the socket itself.
  const handleWithAddress = (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
    handle(req, res);
  };
  const server = http.createServer((req, res) => {
    const reqId = assignRequestId(req, res);
    const trace = traceRequest(req, res, reqId);
    const refused = refuseUnservable(req.method, req.url);
    if (refused) {
      logWhenDone(req, res, reqId);
      res.writeHead(refused.status, refused.headers);
      res.end(refused.body);
      return;
    }
    if ((req.url === LIVENESS_PATH || req.url?.startsWith(`${LIVENESS_PATH}?`)) && (req.method === "GET" || req.method === "HEAD")) {
      logWhenDone(req, res, reqId, "debug");
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : '{"status":"ok"}');
      return;
    }
    if (protocol) {
      protocol.handleNodeProtocolRequest(req, res, reqId, trace).then(
        (handled: boolean) => {
          // The protocol logs its own answers (lib/oauth/node-adapter.ts): no listener on the token path.
          if (handled) return;
          logWhenDone(req, res, reqId);
          if (management && management.isManagementPath(req.url ?? "/")) {
            management.serveNodeManagementApi(req, res).catch((error: unknown) => {
              logUnexpected("management api", error, reqId);
              if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
              res.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong", details: {} } }));
            });
            return;
          }
          handleWithAddress(req, res);
        },
        (error: unknown) => {
          logUnexpected("protocol handler", error, reqId);
          if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "server_error" }));
        },
      );
    } else {
      logWhenDone(req, res, reqId);
      handleWithAddress(req, res);
    }
  });
  server.keepAliveTimeout = 65_000;
  server.on("clientError", (await import("./lib/runtime/client-error")).answerClientError);
  const { drainable } = await import("./lib/runtime/drain");
  const draining = drainable(server);
  server.listen(port, host, () => {
    log().info(
      `Grantry is listening on ${process.env.GRANTRY_URL} (${database.embedded ? "embedded database" : "PostgreSQL"}, protocol fast path ${fastPath ? "on" : "off"})`,
    );
  });

  let stopping = false;
  const stop = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log()[code === 0 ? "info" : "error"](`${reason}: shutting down`);
    // In-flight requests finish (tokens, dashboard pages via Next.js) before anything they need stops.
    const { finished, unfinished } = await draining.drain(code === 0 ? env().GRANTRY_SHUTDOWN_TIMEOUT_MS : 0);
    log().info(
      `Drained: ${finished} request(s) in flight finished, ${unfinished ? `${unfinished} cut off after GRANTRY_SHUTDOWN_TIMEOUT_MS` : "none cut off"}`,
    );
    await nextProcess?.stop();
    await usage.flushUsage().catch(() => {});
    await tokenLog.flushTokenLog().catch(() => {});
    await stopConfigListener().catch(() => {});
    await database.stop();
    await stopTracing();
    flushLog();
    process.exit(code);
  };
  nextProcess?.ready.catch((error: Error) => void stop(`Grantry failed to start: ${error.message}`, 1));
  database.onUnrecoverable?.((error) => void stop(`Grantry cannot go on: ${error.message}`, 1));
  // The port was free when start-up began; something may have taken it since.
  server.on("error", (error: Error) => void stop(`Grantry failed to start: cannot listen on ${host}:${port}: ${error.message}`, 1));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** lib/runtime/thread-policy.ts: the pool's threads stop preempting the event loop. Said when it could not be done on Linux. */
async function batchSigningThreads() {
  const { batchHelperThreads, POLICY_KEPT } = await import("./lib/runtime/thread-policy");
  const result = await batchHelperThreads();
  if ("batched" in result && result.batched === result.helpers) log().debug(`${result.batched} helper threads in SCHED_BATCH`);
  else if ("skipped" in result && result.skipped === POLICY_KEPT) log().info(`Helper threads left alone: ${POLICY_KEPT}`);
  else if (process.platform === "linux") {
    const why = "batched" in result ? `only ${result.batched} of ${result.helpers} changed` : result.skipped;
    log().warn(`Helper threads are not all in SCHED_BATCH (${why}): fewer tokens per second; GRANTRY_BATCH_SCHEDULING=0 silences this`);
  }
}

/**
 * The cluster primary: build check, bootstrap once, start the Next.js process
 * the workers hand dashboard requests to (with the fast path), fork the
 * workers, relay configuration changes between them all, replace a worker
 * that dies (a second later), and on SIGTERM/SIGINT stop the workers (each
 * flushes its usage counters) and Next.js before the database.
 */
async function primary(count: number) {
  await assertPortFree(port, host);
  await serveMetrics({ cluster: true });
  const database = await bootstrap({ server: true });
  const { isConfigChanged } = await import("./lib/runtime/config-relay");
  let nextChild: ChildProcess | null = null;
  const relay = (from: unknown, message: unknown) => {
    if (!isConfigChanged(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== from && worker.isConnected()) worker.send(message, () => {});
    }
    if (nextChild && nextChild !== from && nextChild.connected) nextChild.send(message, () => {});
  };
  cluster.on("message", relay);
  // Replay checks of client assertions, for workers without Redis: the primary keeps every use.
  const { answerUse } = await import("./lib/runtime/once-relay");
  cluster.on("message", (worker, message: unknown) => answerUse(worker, message));
  let nextProcess: NextProcess | null = null;
  if (flag("GRANTRY_FAST_PATH", true)) {
    const { startNextProcess } = await import("./lib/runtime/next-process");
    nextProcess = startNextProcess((child) => {
      nextChild = child;
      child.on("message", (message: unknown) => relay(child, message));
    });
  }

  let stopping = false;
  const { workerPoolEnv } = await import("./lib/runtime/thread-pool");
  const env: Record<string, string> = {
    ...workerPoolEnv(process.env, os.availableParallelism(), count),
    ...(nextProcess ? { GRANTRY_NEXT_SOCKET: nextProcess.socketPath } : {}),
  };
  const fork = () => cluster.fork(env);
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    log().error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another in 1 s`);
    setTimeout(() => stopping || fork(), 1000);
  });
  for (let i = 0; i < count; i++) fork();
  log().info(
    `Grantry primary ${process.pid}: ${count} workers on port ${port}${env.UV_THREADPOOL_SIZE ? `, ${env.UV_THREADPOOL_SIZE} signing thread(s) each` : ""}`,
  );

  const stop = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log()[code === 0 ? "info" : "error"](`${reason}: shutting down`);
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => w.process.kill("SIGKILL"), 10_000);
            w.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            w.process.kill(reason === "SIGINT" ? "SIGINT" : "SIGTERM");
          }),
      ),
    );
    await nextProcess?.stop();
    await database.stop();
    flushLog();
    process.exit(code);
  };
  nextProcess?.ready.catch((error: Error) => void stop(`Grantry failed to start: ${error.message}`, 1));
  database.onUnrecoverable?.((error) => void stop(`Grantry cannot go on: ${error.message}`, 1));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

let workers = 1;
try {
  validateEnv();
  workers = workerCount();
  flag("GRANTRY_FAST_PATH", true);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const start = workers > 1 && cluster.isPrimary ? primary(workers) : main();
start.catch((error: Error) => {
  console.error(`Grantry failed to start: ${error.message}`);
  process.exit(1);
});
