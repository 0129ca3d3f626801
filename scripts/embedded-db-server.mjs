// The embedded database: PGlite over a data directory, served over the
// Postgres wire protocol on loopback. Started as a child process by
// lib/runtime/embedded-db.ts, which holds the lock on the data directory.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { makeExchangesAtomic } from "./pglite-atomic-queue.mjs";

const [dataPath, portArg] = process.argv.slice(2);
if (!dataPath || !portArg) {
  console.error("usage: embedded-db-server.mjs <data-path> <port>");
  process.exit(2);
}

const db = new PGlite(dataPath);
await db.waitReady;
const server = new PGLiteSocketServer({ db, port: Number(portArg), host: "127.0.0.1", maxConnections: 50 });
makeExchangesAtomic(server);
await server.start();
process.stdout.write(`READY ${portArg}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
    await db.close();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The owner process closes our stdin when it exits, however it exits.
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
