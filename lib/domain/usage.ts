// Token usage as the dashboard shows it, read from the per-day counters the
// token endpoint flushes into TokenUsage (index: tenantId, applicationId, day).
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** `flagged`: of the tokens issued, those over a log-only quota; `failures`: failed requests by error code. */
export type UsageDay = { day: string; issued: number; flagged: number; failed: number; failures: Record<string, number> };
export type UsageSummary = { days: UsageDay[]; failuresByCode: Array<{ code: string; count: number }>; issued: number; flagged: number; failed: number };

const DAY_MS = 24 * 3600 * 1000;

/** The last `days` UTC days, oldest first, ending today. */
export function lastDays(days: number, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** Tokens issued per day and failed requests by error code, for an application or an API. */
export async function tokenUsage(tenantId: string, filter: { applicationId?: string; apiId?: string }, days = 30, now = new Date()): Promise<UsageSummary> {
  const range = lastDays(days, now);
  const where: Prisma.TokenUsageWhereInput = {
    tenantId,
    day: { gte: new Date(`${range[0]}T00:00:00Z`) },
    ...(filter.applicationId ? { applicationId: filter.applicationId } : {}),
    ...(filter.apiId ? { apiId: filter.apiId } : {}),
  };
  const rows = await db.tokenUsage.groupBy({ by: ["day", "outcome"], where, _sum: { count: true, flagged: true } });
  const byDay = new Map<string, UsageDay>(range.map((day) => [day, { day, issued: 0, flagged: 0, failed: 0, failures: {} }]));
  const byCode = new Map<string, number>();
  for (const row of rows) {
    const entry = byDay.get(row.day.toISOString().slice(0, 10));
    const count = row._sum.count ?? 0;
    if (!entry) continue;
    if (row.outcome === "ok") {
      entry.issued += count;
      entry.flagged += row._sum.flagged ?? 0;
    } else {
      entry.failed += count;
      entry.failures[row.outcome] = (entry.failures[row.outcome] ?? 0) + count;
      byCode.set(row.outcome, (byCode.get(row.outcome) ?? 0) + count);
    }
  }
  const list = [...byDay.values()];
  return {
    days: list,
    failuresByCode: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count),
    issued: list.reduce((n, d) => n + d.issued, 0),
    flagged: list.reduce((n, d) => n + d.flagged, 0),
    failed: list.reduce((n, d) => n + d.failed, 0),
  };
}
