// The production server (`npm start`): the embedded database when no
// DATABASE_URL is set, migrations, then one node:http server that answers
// the OAuth protocol paths natively and hands everything else to Next.
// @see STACK.md: Next's pipeline costs ~1.5 ms of CPU per request; the native
// path is what lets the token endpoint approach its signing limit.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { bootstrap } from "./lib/runtime/bootstrap";

(process.env as Record<string, string>).NODE_ENV ||= "production";
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
process.env.GRANTRY_URL ||= `http://localhost:${port}`;

function ensureBuilt(): void {
  if (fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) return;
  console.log("No production build found: running `next build` once…");
  const result = spawnSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("next build failed");
}

async function main() {
  ensureBuilt();
  const database = await bootstrap();
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const fastPath = process.env.GRANTRY_FAST_PATH !== "0";
  const protocol = fastPath ? await import("./lib/oauth/node-adapter") : null;
  const usage = await import("./lib/oauth/usage");
  const { stopConfigListener } = await import("./lib/oauth/listen");

  const server = http.createServer((req, res) => {
    // The socket's address, for rate limits; never a value the client sent.
    req.headers["x-grantry-client-address"] = req.socket.remoteAddress ?? "unknown";
    if (protocol) {
      protocol.handleNodeProtocolRequest(req, res).then(
        (handled: boolean) => {
          if (!handled) void handle(req, res);
        },
        (error: unknown) => {
          console.error("protocol handler failed", error instanceof Error ? error.message : error);
          if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "server_error" }));
        },
      );
    } else {
      void handle(req, res);
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => {
    console.log(`Grantry is listening on ${process.env.GRANTRY_URL} (${database.embedded ? "embedded database" : "PostgreSQL"}, protocol fast path ${fastPath ? "on" : "off"})`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    server.close();
    server.closeAllConnections();
    await usage.flushUsage().catch(() => {});
    await stopConfigListener().catch(() => {});
    await database.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: Error) => {
  console.error(`Grantry failed to start: ${error.message}`);
  process.exit(1);
});
