// The Next.js process of `npm start`: the dashboard, the Management API and
// every other path that is not the OAuth protocol, served on a unix socket that
// only the protocol server in front of it (server.ts) connects to.
//
// Next runs in a process of its own because it changes process-wide
// primitives — it wraps process.nextTick, setImmediate, Date and node:crypto's
// random functions and installs AsyncLocalStorage promise hooks — which cost
// the token endpoint about a third of its CPU when they shared a process
// (docs/decisions/0001-native-protocol-server.md).
//
// Started by lib/runtime/next-process.ts with GRANTRY_NEXT_SOCKET set and the
// parent's environment (database URL, secrets) already resolved by bootstrap.
import fs from "node:fs";
import http from "node:http";
import { relayConfigChanges } from "./config-relay";
import { env } from "@/lib/env";
import { NEXT_KEEP_ALIVE_MS } from "./proxy";
import { plainRequestId } from "@/lib/observability/request-log";
import { startTracing, stopTracing } from "@/lib/observability/tracing";
import { logUnexpected } from "@/lib/unexpected";

export type NextReady = { grantry: "next-ready" };

async function main() {
  // The parent's environment, already resolved by bootstrap, so env() is complete here.
  const { GRANTRY_NEXT_SOCKET: socketPath, PORT: port, HOST: hostname } = env();
  if (!socketPath || !process.send) throw new Error("lib/runtime/next-child.ts is started by server.ts, not by hand");
  await startTracing();
  const { default: next } = await import("next");
  // hostname and port are the public ones: Next builds absolute URLs from them.
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  relayConfigChanges(process);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logUnexpected("next request", error, plainRequestId(req.headers["x-request-id"]));
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = NEXT_KEEP_ALIVE_MS;
  fs.rmSync(socketPath, { force: true });
  server.listen(socketPath, () => {
    fs.chmodSync(socketPath, 0o600);
    process.send?.({ grantry: "next-ready" } satisfies NextReady);
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    const { flushUsage } = await import("@/lib/oauth/usage");
    const { flushTokenLog } = await import("@/lib/oauth/token-log");
    const { stopConfigListener } = await import("@/lib/oauth/listen");
    await flushUsage().catch(() => {});
    await flushTokenLog().catch(() => {});
    await stopConfigListener().catch(() => {});
    await stopTracing();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  // The protocol server is gone (even killed with SIGKILL): nobody can reach this process any more.
  process.on("disconnect", () => void stop());
}

main().catch((error: Error) => {
  console.error(`Grantry's Next.js process failed to start: ${error.message}`);
  process.exit(1);
});
