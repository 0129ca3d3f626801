// Token usage without a database write per token: per-day counters and
// secrets' last-used times are aggregated in memory and flushed every
// GRANTRY_USAGE_FLUSH_MS with one upsert per distinct counter. server.ts calls
// flushUsage() on shutdown; at most one interval's counts are lost on a crash.
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type UsageEvent = { tenantId: string; applicationId?: string; apiId?: string; outcome: string };

type UsageState = {
  counts: Map<string, number>;
  secretsUsed: Map<string, number>;
  timer: ReturnType<typeof setInterval> | null;
  flushing: Promise<void> | null;
};

// On globalThis: the fast path and Next's bundle record into one buffer, flushed once.
const g = globalThis as unknown as { __grantryUsage?: UsageState };
const usage: UsageState = (g.__grantryUsage ??= { counts: new Map(), secretsUsed: new Map(), timer: null, flushing: null });

const SEP = "\u0000";

function startTimer(): void {
  if (usage.timer) return;
  usage.timer = setInterval(() => void flushUsage().catch(() => {}), env().GRANTRY_USAGE_FLUSH_MS);
  usage.timer.unref();
}

/** Counts one token request; `outcome` is "ok" or the OAuth error code. */
export function recordTokenRequest(event: UsageEvent, now = new Date()): void {
  const day = now.toISOString().slice(0, 10);
  const key = [event.tenantId, day, event.applicationId ?? "", event.apiId ?? "", event.outcome].join(SEP);
  usage.counts.set(key, (usage.counts.get(key) ?? 0) + 1);
  startTimer();
}

/** Remembers that a secret authenticated a client; written as lastUsedAt on the next flush. */
export function recordSecretUse(secretId: string, now = Date.now()): void {
  usage.secretsUsed.set(secretId, now);
  startTimer();
}

/** Writes everything aggregated so far. Safe to call at any time, also concurrently. */
export async function flushUsage(): Promise<void> {
  while (usage.flushing) await usage.flushing;
  if (!usage.counts.size && !usage.secretsUsed.size) return;
  const counts = usage.counts;
  const secretsUsed = usage.secretsUsed;
  usage.counts = new Map();
  usage.secretsUsed = new Map();
  usage.flushing = write(counts, secretsUsed).finally(() => {
    usage.flushing = null;
  });
  await usage.flushing;
}

async function write(counts: Map<string, number>, secretsUsed: Map<string, number>): Promise<void> {
  let failures = 0;
  for (const [key, count] of counts) {
    const [tenantId, day, applicationId, apiId, outcome] = key.split(SEP) as [string, string, string, string, string];
    const id = { tenantId, day: new Date(`${day}T00:00:00Z`), applicationId, apiId, outcome };
    // A tenant deleted since the request fails its foreign key: that count is dropped, not retried.
    await db.tokenUsage
      .upsert({ where: { tenantId_day_applicationId_apiId_outcome: id }, create: { ...id, count }, update: { count: { increment: count } } })
      .catch(() => failures++);
  }
  for (const [id, at] of secretsUsed) {
    await db.clientSecret.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(at) } }] }, data: { lastUsedAt: new Date(at) } }).catch(() => failures++);
  }
  if (failures) console.error(`grantry: ${failures} token usage write(s) failed and were dropped`);
}

/** Stops the flush timer (tests, shutdown after the final flush). */
export function stopUsageTimer(): void {
  if (usage.timer) clearInterval(usage.timer);
  usage.timer = null;
}
