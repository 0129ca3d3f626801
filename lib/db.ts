// The one Prisma client. Kept on globalThis in every mode, not only in
// development: server.ts and Next's server bundle load separate copies of
// this module in one process, and they must share one pool.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";
import { PrismaClient } from "@/lib/generated/prisma/client";

const globalForDb = globalThis as unknown as { __grantryDb?: PrismaClient };

function createClient(): PrismaClient {
  const config = env();
  const queryTimeout = config.GRANTRY_DB_QUERY_TIMEOUT_MS;
  // Our own pool, handed to the adapter, so that its size can be reported (grantry_db_pool_connections).
  const pool = new pg.Pool({
    // DATABASE_URL and GRANTRY_EMBEDDED_DB from process.env itself: bootstrap writes them, and tests point them elsewhere at run time.
    connectionString: process.env.DATABASE_URL,
    max: config.GRANTRY_DB_POOL_SIZE,
    // An unreachable database must turn into a quick 503, not a hanging request.
    connectionTimeoutMillis: 2_000,
    // A database that stops answering on an open connection (frozen, partitioned)
    // must not hold a request either: the client gives up on the query, and a
    // pool connection whose query timed out is discarded rather than reused.
    query_timeout: queryTimeout,
    // On PostgreSQL the server also ends a query that runs this long (the embedded server takes no such startup option).
    ...(process.env.GRANTRY_EMBEDDED_DB === "1" ? {} : { statement_timeout: queryTimeout }),
  });
  // An idle connection the database closed (a restart, the CLI stopping the embedded database
  // it started): the pool drops it and the next query opens another. Unhandled, it would crash the process.
  pool.on("error", () => {});
  metrics().sources.pool = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  const adapter = new PrismaPg(pool);
  // Prisma's 5 s default expires a transaction, and drops its connection, on a busy
  // two-core machine; none of ours does slow work inside (keys are made before).
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
}

export const db: PrismaClient = globalForDb.__grantryDb ?? (globalForDb.__grantryDb = createClient());

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
