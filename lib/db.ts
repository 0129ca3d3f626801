// The one Prisma client. Kept on globalThis in every mode, not only in
// development: server.ts and Next's server bundle load separate copies of
// this module in one process, and they must share one pool.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

const globalForDb = globalThis as unknown as { __grantryDb?: PrismaClient };

function createClient(): PrismaClient {
  const queryTimeout = Number(process.env.GRANTRY_DB_QUERY_TIMEOUT_MS || 5000);
  const adapter = new PrismaPg({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.GRANTRY_DB_POOL_SIZE || 10),
    // An unreachable database must turn into a quick 503, not a hanging request.
    connectionTimeoutMillis: 2_000,
    // A database that stops answering on an open connection (frozen, partitioned)
    // must not hold a request either: the client gives up on the query, and a
    // pool connection whose query timed out is discarded rather than reused.
    query_timeout: queryTimeout,
    // On PostgreSQL the server also ends a query that runs this long (the embedded server takes no such startup option).
    ...(process.env.GRANTRY_EMBEDDED_DB === "1" ? {} : { statement_timeout: queryTimeout }),
  });
  // Prisma's 5 s default expires a transaction, and drops its connection, on a busy
  // two-core machine; none of ours does slow work inside (keys are made before).
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
}

export const db: PrismaClient = globalForDb.__grantryDb ?? (globalForDb.__grantryDb = createClient());

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
