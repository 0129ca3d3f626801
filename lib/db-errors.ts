// Whether an error means "the database cannot be reached" (as opposed to a bug
// or a bad query): those become 503s, not 500s. The Redis that rate limits and
// quotas share (lib/redis.ts) counts as part of the database here.
const CODES = new Set([
  "P1001", // can't reach database server
  "P1002", // server reached but timed out
  "P1008", // operations timed out
  "P1017", // server closed the connection
  "P2024", // timed out fetching a connection from the pool
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "57014", // query_canceled: statement_timeout (lib/db.ts)
  "REDIS_UNAVAILABLE", // lib/redis.ts
]);

const MESSAGES =
  /Can't reach database|Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed|ECONNREFUSED|terminating connection|Query read timeout|canceling statement due to statement timeout/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const { code, message, cause, name } = error as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
  if (typeof code === "string" && CODES.has(code)) return true;
  // The embedded database's unix socket is missing while its process restarts
  // (lib/runtime/embedded-db.ts). Only from the database client: any other
  // missing file is a bug, not an outage.
  if (code === "ENOENT" && ((typeof name === "string" && name.startsWith("PrismaClient")) || (typeof message === "string" && message.includes(".s.PGSQL."))))
    return true;
  if (typeof message === "string" && MESSAGES.test(message)) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
