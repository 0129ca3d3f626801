// Token issuance counts from the TokenUsage counters: per day, per
// application and per API, over a range of UTC days.
import { db } from "@/lib/db";

export type Counts = { issued: number; failed: number };

const MAX_DAYS = 366;

function add(map: Map<string, Counts>, key: string, outcome: string, count: number) {
  const entry = map.get(key) ?? { issued: 0, failed: 0 };
  if (outcome === "ok") entry.issued += count;
  else entry.failed += count;
  map.set(key, entry);
}

const dayKey = (d: Date) => d.toISOString().slice(0, 10);

/** `from` and `to` are UTC midnights, both included; at most a year apart. */
export async function tokenStats(tenantId: string, from: Date, to: Date) {
  const rows = await db.tokenUsage.groupBy({
    by: ["day", "applicationId", "apiId", "outcome"],
    where: { tenantId, day: { gte: from, lte: to } },
    _sum: { count: true },
  });
  const perDay = new Map<string, Counts>();
  const perApp = new Map<string, Counts>();
  const perApi = new Map<string, Counts>();
  const total: Counts = { issued: 0, failed: 0 };
  for (const row of rows) {
    const count = row._sum.count ?? 0;
    add(perDay, dayKey(row.day), row.outcome, count);
    // "" is an unknown client or API (e.g. invalid_client): counted per day only.
    if (row.applicationId) add(perApp, row.applicationId, row.outcome, count);
    if (row.apiId) add(perApi, row.apiId, row.outcome, count);
    if (row.outcome === "ok") total.issued += count;
    else total.failed += count;
  }
  const [apps, apis] = await Promise.all([
    db.application.findMany({ where: { tenantId, id: { in: [...perApp.keys()] } }, select: { id: true, name: true, clientId: true } }),
    db.api.findMany({ where: { tenantId, id: { in: [...perApi.keys()] } }, select: { id: true, name: true, identifier: true, kind: true } }),
  ]);
  const days: Array<{ day: string } & Counts> = [];
  for (let t = from.getTime(); t <= to.getTime() && days.length < MAX_DAYS; t += 86_400_000) {
    const day = dayKey(new Date(t));
    days.push({ day, ...(perDay.get(day) ?? { issued: 0, failed: 0 }) });
  }
  return {
    total,
    perDay: days,
    perApplication: [...perApp].map(([id, c]) => ({ id, app: apps.find((a) => a.id === id) ?? null, ...c })).sort((a, b) => b.issued - a.issued),
    perApi: [...perApi].map(([id, c]) => ({ id, api: apis.find((a) => a.id === id) ?? null, ...c })).sort((a, b) => b.issued - a.issued),
  };
}
