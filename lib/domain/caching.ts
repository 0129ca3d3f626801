// The caching alert: an application that asks for far more tokens for an API
// than the tokens' lifetime needs (the most common machine-to-machine mistake:
// a new token before every call instead of one reused until it expires).
//
// The rule, per application × API, read from the TokenUsage counters (tokens
// issued per UTC day; they do not record scopes):
//   window  = from the start of yesterday (UTC), or from the application's
//             creation if later, until now: 24 to 48 hours;
//   needed  = the tokens one caching client needs over the window: one per
//             token lifetime begun, ceil(window / lifetime), at least 1;
//   alert   when issued > max(FACTOR × needed, MINIMUM).
// FACTOR leaves room for up to ten processes (each with its own cache),
// several scope sets or restarts; MINIMUM keeps small numbers quiet, however
// long the lifetime. Examples: a 24-hour lifetime alerts above 100 tokens; a
// one-hour lifetime above 240 to 480, depending on the time of day.
import { db } from "@/lib/db";

export const CACHING_RULE = { factor: 10, minimum: 100 } as const;

const DAY_MS = 86_400_000;

/** Tokens one caching client needs over `windowSeconds` with tokens living `lifetime` seconds. */
export function tokensNeeded(windowSeconds: number, lifetime: number): number {
  return Math.max(1, Math.ceil(windowSeconds / Math.max(1, lifetime)));
}

/** Above this many tokens over the window, the application is not caching. */
export function cachingThreshold(windowSeconds: number, lifetime: number): number {
  return Math.max(CACHING_RULE.factor * tokensNeeded(windowSeconds, lifetime), CACHING_RULE.minimum);
}

export type CachingAlert = {
  applicationId: string;
  api: { id: string; name: string; tokenLifetime: number };
  /** Tokens issued since `since`. */
  issued: number;
  since: Date;
  windowSeconds: number;
  needed: number;
  threshold: number;
};

/** The start of yesterday, UTC. */
export function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - DAY_MS);
}

/**
 * Every application × API of the tenant (or of these applications) over the
 * rule's threshold, the worst first. One grouped read of at most two days of
 * counters on the TokenUsage primary key (tenantId, day, …).
 */
export async function cachingAlerts(tenantId: string, applicationIds?: readonly string[], now = new Date()): Promise<CachingAlert[]> {
  if (applicationIds?.length === 0) return [];
  const start = windowStart(now);
  const rows = await db.tokenUsage.groupBy({
    by: ["applicationId", "apiId"],
    where: {
      tenantId,
      outcome: "ok",
      day: { gte: start },
      apiId: { not: "" },
      ...(applicationIds ? { applicationId: { in: [...applicationIds] } } : { applicationId: { not: "" } }),
    },
    _sum: { count: true },
  });
  // No application can pass the threshold's floor with fewer tokens: most pages stop here.
  const candidates = rows.filter((r) => (r._sum.count ?? 0) > CACHING_RULE.minimum);
  if (!candidates.length) return [];
  const [apps, apis] = await Promise.all([
    db.application.findMany({ where: { tenantId, id: { in: [...new Set(candidates.map((r) => r.applicationId))] } }, select: { id: true, createdAt: true } }),
    db.api.findMany({
      where: { tenantId, id: { in: [...new Set(candidates.map((r) => r.apiId))] } },
      select: { id: true, name: true, tokenLifetime: true },
    }),
  ]);
  const alerts: CachingAlert[] = [];
  for (const row of candidates) {
    const app = apps.find((a) => a.id === row.applicationId);
    const api = apis.find((a) => a.id === row.apiId);
    if (!app || !api) continue; // deleted since: nothing to warn about
    const since = app.createdAt > start ? app.createdAt : start;
    const windowSeconds = Math.max(0, (now.getTime() - since.getTime()) / 1000);
    const issued = row._sum.count ?? 0;
    const threshold = cachingThreshold(windowSeconds, api.tokenLifetime);
    if (issued <= threshold) continue;
    alerts.push({ applicationId: app.id, api, issued, since, windowSeconds, needed: tokensNeeded(windowSeconds, api.tokenLifetime), threshold });
  }
  return alerts.sort((a, b) => b.issued / b.needed - a.issued / a.needed);
}
