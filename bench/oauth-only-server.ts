// Diagnostic target (BENCH_TARGETS=…,grantry-oauth-only): Grantry's own
// protocol code (lib/oauth's node adapter, cache, usage counters, the same
// database) on a bare node:http server, without Next in the process. Set
// against `npm start`, it tells what the token path costs by itself and what
// sharing a process with Next costs it (AsyncLocalStorage promise hooks,
// Next's patched Date, a larger heap).
//
//   DATABASE_URL=… GRANTRY_URL=… tsx bench/oauth-only-server.ts --port <port>
import http from "node:http";
import { handleNodeProtocolRequest } from "@/lib/oauth/node-adapter";
import { argValue } from "./shared";

const port = Number(argValue("port") ?? 4002);
const server = http.createServer((req, res) => {
  handleNodeProtocolRequest(req, res).then(
    (handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    },
    () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`lib/oauth alone on ${process.env.GRANTRY_URL}`));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
