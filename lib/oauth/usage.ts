// Token usage without a database write per token: per-day counters and
// credentials' last-used times are aggregated in memory and flushed every
// GRANTRY_USAGE_FLUSH_MS with one upsert per distinct counter. server.ts calls
// flushUsage() on shutdown; at most one interval's counts are lost on a crash.
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { metrics } from "@/lib/observability/metrics";
import { log } from "@/lib/observability/log";

/** `flagged`: issued over a log-only quota. */
export type UsageEvent = { tenantId: string; applicationId?: string; apiId?: string; outcome: string; flagged?: boolean };

type Count = { count: number; flagged: number };

type UsageState = {
  counts: Map<string, Count>;
  /** When the oldest count in `counts`, and in the batch being written, was recorded (grantry_usage_flush_lag_seconds). */
  oldestPendingAt?: number;
  writingSince?: number;
  secretsUsed: Map<string, number>;
  keysUsed: Map<string, number>;
  federatedUsed: Map<string, number>;
  timer: ReturnType<typeof setInterval> | null;
  flushing: Promise<void> | null;
};

// On globalThis: the fast path and Next's bundle record into one buffer, flushed once.
const g = globalThis as unknown as { __grantryUsage?: UsageState };
const usage: UsageState = (g.__grantryUsage ??= {
  counts: new Map(),
  secretsUsed: new Map(),
  keysUsed: new Map(),
  federatedUsed: new Map(),
  timer: null,
  flushing: null,
});
// A process that kept this state across a reload (Next's dev server) from before keys existed.
usage.keysUsed ??= new Map();
usage.federatedUsed ??= new Map();
metrics().sources.usageLagSeconds = () => {
  const oldest = Math.min(usage.writingSince ?? Infinity, usage.oldestPendingAt ?? Infinity);
  return oldest === Infinity ? 0 : (Date.now() - oldest) / 1000;
};

const SEP = "\u0000";

function startTimer(): void {
  if (usage.timer) return;
  usage.timer = setInterval(() => void flushUsage().catch(() => {}), env().GRANTRY_USAGE_FLUSH_MS);
  usage.timer.unref();
}

/** The UTC day of `now` (YYYY-MM-DD), recomputed only when the day changes: this runs on every token request. */
const today = { from: 0, until: 0, day: "" };
function utcDay(now: number): string {
  if (now < today.from || now >= today.until) {
    today.from = now - (now % 86_400_000);
    today.until = today.from + 86_400_000;
    today.day = new Date(today.from).toISOString().slice(0, 10);
  }
  return today.day;
}

/** Counts one token request; `outcome` is "ok" or the OAuth error code. */
export function recordTokenRequest(event: UsageEvent, now = Date.now()): void {
  const key = `${event.tenantId}${SEP}${utcDay(now)}${SEP}${event.applicationId ?? ""}${SEP}${event.apiId ?? ""}${SEP}${event.outcome}`;
  const entry = usage.counts.get(key);
  if (entry) {
    entry.count++;
    if (event.flagged) entry.flagged++;
  } else usage.counts.set(key, { count: 1, flagged: event.flagged ? 1 : 0 });
  usage.oldestPendingAt ??= now;
  startTimer();
}

/** Remembers that a secret authenticated a client; written as lastUsedAt on the next flush. */
export function recordSecretUse(secretId: string, now = Date.now()): void {
  usage.secretsUsed.set(secretId, now);
  startTimer();
}

/** Remembers that a public key set authenticated a client (private_key_jwt); written as lastUsedAt on the next flush. */
export function recordKeyUse(keyId: string, now = Date.now()): void {
  usage.keysUsed.set(keyId, now);
  startTimer();
}

/** Remembers that a federated credential authenticated a client; written as lastUsedAt on the next flush. */
export function recordFederatedUse(credentialId: string, now = Date.now()): void {
  usage.federatedUsed.set(credentialId, now);
  startTimer();
}

/** Writes everything aggregated so far. Safe to call at any time, also concurrently. */
export async function flushUsage(): Promise<void> {
  while (usage.flushing) await usage.flushing;
  if (!usage.counts.size && !usage.secretsUsed.size && !usage.keysUsed.size && !usage.federatedUsed.size) return;
  const counts = usage.counts;
  const secretsUsed = usage.secretsUsed;
  const keysUsed = usage.keysUsed;
  const federatedUsed = usage.federatedUsed;
  usage.writingSince = usage.oldestPendingAt;
  usage.counts = new Map();
  usage.secretsUsed = new Map();
  usage.keysUsed = new Map();
  usage.federatedUsed = new Map();
  usage.oldestPendingAt = undefined;
  usage.flushing = write(counts, secretsUsed, keysUsed, federatedUsed).finally(() => {
    usage.flushing = null;
    usage.writingSince = undefined;
  });
  await usage.flushing;
}

/**
 * A few statements per flush, whatever the number of counters: a multi-row
 * upsert of the counts and one UPDATE of last-used times per credential kind (a statement per
 * counter cost ~2.5 ms each and could not keep up with 10,000 active clients).
 */
async function write(
  counts: Map<string, Count>,
  secretsUsed: Map<string, number>,
  keysUsed: Map<string, number>,
  federatedUsed: Map<string, number>,
): Promise<void> {
  const rows = [...counts].map(([key, { count, flagged }]) => [...key.split(SEP), count, flagged] as [string, string, string, string, string, number, number]);
  if (rows.length) {
    const column = (i: number) => rows.map((r) => r[i] as string);
    // A tenant deleted since the request would fail the foreign key: its counts are dropped.
    await db.$executeRaw`
      INSERT INTO "TokenUsage" ("tenantId", "day", "applicationId", "apiId", "outcome", "count", "flagged")
      SELECT u.t, u.d::date, u.a, u.p, u.o, u.c, u.f
      FROM unnest(${column(0)}::text[], ${column(1)}::text[], ${column(2)}::text[], ${column(3)}::text[], ${column(4)}::text[], ${rows.map((r) => r[5])}::int[], ${rows.map((r) => r[6])}::int[]) AS u(t, d, a, p, o, c, f)
      WHERE EXISTS (SELECT 1 FROM "Tenant" WHERE "Tenant"."id" = u.t)
      ON CONFLICT ("tenantId", "day", "applicationId", "apiId", "outcome")
      DO UPDATE SET "count" = "TokenUsage"."count" + EXCLUDED."count", "flagged" = "TokenUsage"."flagged" + EXCLUDED."flagged"`.catch((error: unknown) =>
      report("counts", rows.length, error),
    );
  }
  await lastUsed("ClientSecret", secretsUsed);
  await lastUsed("ClientKey", keysUsed);
  await lastUsed("FederatedCredential", federatedUsed);
}

/** One UPDATE of last-used times for the credentials of one table. */
async function lastUsed(table: "ClientSecret" | "ClientKey" | "FederatedCredential", used: Map<string, number>): Promise<void> {
  if (!used.size) return;
  const ids = [...used.keys()];
  const times = [...used.values()].map((at) => new Date(at).toISOString());
  // Prisma keeps DateTime as UTC in timestamp(3) columns. The table name is one of three constants.
  const update = Prisma.sql`
    UPDATE ${Prisma.raw(`"${table}"`)} AS s SET "lastUsedAt" = (v.at::timestamptz AT TIME ZONE 'UTC')
    FROM unnest(${ids}::text[], ${times}::text[]) AS v(id, at)
    WHERE s."id" = v.id AND (s."lastUsedAt" IS NULL OR s."lastUsedAt" < (v.at::timestamptz AT TIME ZONE 'UTC'))`;
  await db.$executeRaw(update).catch((error: unknown) => report("last-used times", ids.length, error));
}

function report(what: string, count: number, error: unknown): void {
  const code = (error as { code?: string } | null)?.code ?? "unknown";
  log().error(`grantry: ${count} token usage ${what} could not be written and were dropped (${code})`);
}

/** Stops the flush timer (tests, shutdown after the final flush). */
export function stopUsageTimer(): void {
  if (usage.timer) clearInterval(usage.timer);
  usage.timer = null;
}
