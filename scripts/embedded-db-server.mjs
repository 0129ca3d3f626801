// The embedded database: PGlite over a data directory, served over the
// Postgres wire protocol on a unix socket in a 0700 directory (PGlite's server
// has no authentication: the directory's permissions are what keeps other
// users out). Started as a child process by lib/runtime/embedded-db.ts, which
// holds the lock on the data directory.
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const [dataPath, portArg, socketPath] = process.argv.slice(2);
if (!dataPath || !portArg || !socketPath) {
  console.error("usage: embedded-db-server.mjs <data-path> <port> <socket-path>");
  process.exit(2);
}
// Every file and directory the database creates (data, WAL, the socket) is this user's alone.
process.umask(0o077);

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I': not in a transaction block
/** Parse, Bind, Describe, Execute, Close, Flush: the extended protocol's messages before its Sync. */
const BEFORE_SYNC = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/** Whether `out` ends with a ReadyForQuery message ('Z', length 5, status). */
function endsWithReadyForQuery(out) {
  const at = out.length - 6;
  return at >= 0 && out[at] === READY_FOR_QUERY && out.readInt32BE(at + 1) === 5;
}

/**
 * PGlite has one session, shared by every socket. pglite-socket 0.1.3 queues
 * protocol messages one by one, so outside a transaction one connection's
 * Parse/Bind/Execute/Sync can interleave with another's, and a thrown error
 * leaves its queue stalled for good. This queue gives a connection the
 * session from its first message until PGlite answers ReadyForQuery with
 * status idle, and keeps going whatever a message does.
 */
class SessionQueue {
  constructor(db) {
    this.db = db;
    this.queue = [];
    this.owner = null;
    this.running = false;
  }

  enqueue(handlerId, message, onData) {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.run();
    });
  }

  next() {
    const index = this.owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  async run() {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        try {
          const chunks = [];
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (chunk) => chunks.push(Buffer.from(chunk)) }));
          let out = Buffer.concat(chunks);
          // PGlite answers an error in Parse/Bind/Execute with ErrorResponse *and*
          // ReadyForQuery, where PostgreSQL waits for the Sync. The client then
          // gets two ReadyForQuery for one query and matches every later answer
          // on that connection to the query before it (a count receiving a
          // NOTIFY's row, a create returning nothing). The Sync's own
          // ReadyForQuery follows.
          if (BEFORE_SYNC.has(item.message[0]) && endsWithReadyForQuery(out)) out = out.subarray(0, out.length - 6);
          if (out.length) item.onData(out);
          const idle = endsWithReadyForQuery(out) && out[out.length - 1] === IDLE;
          this.owner = idle ? null : item.handlerId;
          item.resolve(out.length);
        } catch (error) {
          this.owner = null;
          item.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  getQueueLength() {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId) {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** A connection that went away mid-transaction must not keep the session. */
  async clearTransactionIfNeeded(handlerId) {
    if (this.owner !== handlerId) return;
    this.owner = null;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK").catch(() => {});
    void this.run();
  }
}

// pg_trgm: the migrations create a trigram index for the dashboard's search.
const db = new PGlite(dataPath, { extensions: { pg_trgm } });
await db.waitReady;
const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 100 });
server.queryQueue = new SessionQueue(db);
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
