// The token log's writes, for the batcher in lib/oauth/token-log.ts and its
// retention. Unlike the rest of the domain these span tenants: a batch holds
// every tenant's requests of one flush, and retention is one rule for all.
import { db } from "@/lib/db";

/** One row: `count` identical requests from `at` to `lastAt` (ms since the epoch); latency is their mean. */
export type TokenLogRow = {
  id: string;
  tenantId: string;
  at: number;
  lastAt: number;
  count: number;
  applicationId: string | null;
  apiId: string | null;
  outcome: string;
  /** A fixed refusal code (never request text), "" when none. */
  reason: string;
  scopeRequested: string;
  scopeGranted: string;
  address: string;
  userAgent: string;
  latencyMs: number;
};

const PRUNE_BATCH = 1000;

/**
 * One INSERT for the whole batch, whatever its size (as the usage counters:
 * docs/decisions/0003-usage-batching.md). A tenant deleted since the request
 * would fail the foreign key for every row: its rows are left out instead.
 */
export async function writeTokenLogRows(rows: readonly TokenLogRow[]): Promise<void> {
  if (!rows.length) return;
  const col = <K extends keyof TokenLogRow>(k: K) => rows.map((r) => r[k]);
  const time = (k: "at" | "lastAt") => rows.map((r) => new Date(r[k]).toISOString());
  // Prisma keeps DateTime as UTC in timestamp(3) columns.
  await db.$executeRaw`
    INSERT INTO "TokenLog" ("id", "tenantId", "at", "lastAt", "count", "applicationId", "apiId", "outcome", "reason", "scopeRequested", "scopeGranted", "address", "userAgent", "latencyMs")
    SELECT r.id, r.t, (r.at::timestamptz AT TIME ZONE 'UTC'), (r.last::timestamptz AT TIME ZONE 'UTC'), r.n, r.app, r.api, r.o, r.rs, r.sr, r.sg, r.addr, r.ua, r.ms
    FROM unnest(${col("id")}::text[], ${col("tenantId")}::text[], ${time("at")}::text[], ${time("lastAt")}::text[], ${col("count")}::int[],
                ${col("applicationId")}::text[], ${col("apiId")}::text[], ${col("outcome")}::text[], ${col("reason")}::text[], ${col("scopeRequested")}::text[],
                ${col("scopeGranted")}::text[], ${col("address")}::text[], ${col("userAgent")}::text[], ${col("latencyMs")}::float8[])
      AS r(id, t, at, last, n, app, api, o, rs, sr, sg, addr, ua, ms)
    WHERE EXISTS (SELECT 1 FROM "Tenant" WHERE "Tenant"."id" = r.t)`;
}

/**
 * Deletes the rows older than `before`, PRUNE_BATCH at a time by the time
 * index: each statement is short and locks only its rows, so the token log
 * keeps being written and read meanwhile. Returns how many were deleted.
 */
export async function pruneTokenLog(before: Date, batch = PRUNE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "TokenLog" WHERE "id" IN (SELECT "id" FROM "TokenLog" WHERE "at" < (${before.toISOString()}::timestamptz AT TIME ZONE 'UTC') ORDER BY "at" LIMIT ${batch})`;
    total += deleted;
    if (deleted < batch) return total;
    // Let other queries of this process have the connection between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
