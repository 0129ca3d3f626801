// Reading the token log of one tenant: filtered pages (newest first), the
// NDJSON export, and the choices the dashboard's filters offer. Rows carry
// ids; names are looked up for the rows shown, within the tenant.
import { db } from "@/lib/db";
import type { Prisma, TokenLog } from "@/lib/generated/prisma/client";
import { ValidationError } from "./errors";
import { readList, type ListPage, type Paged } from "./paging";
import { tokenLogFilterQuery, type TokenLogFilterInput } from "./shapes/token-log";

export type TokenLogRecord = TokenLog & {
  application: { name: string; clientId: string } | null;
  api: { name: string } | null;
};

/** At most this many requests in one export: narrow the time range for more. */
export const MAX_EXPORT_ROWS = 10_000;

/** Parses the filters (field-named errors) into a where clause bound to the tenant. */
export function tokenLogWhere(tenantId: string, input: unknown): Prisma.TokenLogWhereInput {
  const parsed = tokenLogFilterQuery.safeParse(input);
  if (!parsed.success) {
    const details = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "query"), i.message]));
    throw new ValidationError(details, "Some filters are invalid");
  }
  return whereOf(tenantId, parsed.data);
}

function whereOf(tenantId: string, f: TokenLogFilterInput): Prisma.TokenLogWhereInput {
  const from = f.from ? new Date(f.from) : undefined;
  const to = f.to ? new Date(f.to.length === 10 ? `${f.to}T23:59:59.999Z` : f.to) : undefined;
  // A valid ISO date may still be one the database cannot store (year 0, or -1 once shifted to UTC).
  for (const [field, date] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (date && (date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999))
      throw new ValidationError({ [field]: "A date from 1970 to 9999" }, "Some filters are invalid");
  }
  if (from && to && from > to) throw new ValidationError({ from: "Must not be after `to`" }, "Some filters are invalid");
  if (f.error && f.outcome === "success")
    throw new ValidationError({ error: 'An error code lists refusals: not with outcome "success"' }, "Some filters are invalid");
  const outcome = f.error ? f.error : f.outcome === "success" ? "ok" : f.outcome === "failure" ? { not: "ok" } : undefined;
  return {
    tenantId,
    ...(f.application_id ? { applicationId: f.application_id } : {}),
    ...(f.api_id ? { apiId: f.api_id } : {}),
    ...(outcome ? { outcome } : {}),
    ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } } : {}),
  };
}

const ORDER: Prisma.TokenLogOrderByWithRelationInput[] = [{ at: "desc" }, { id: "desc" }];

/** One page of the tenant's token requests matching `filters`, newest first. */
export async function listTokenLog(tenantId: string, filters: unknown, page: ListPage): Promise<Paged<TokenLogRecord>> {
  const where = tokenLogWhere(tenantId, filters);
  const rows = await readList(
    page,
    (window) => db.tokenLog.findMany({ where, orderBy: ORDER, ...window }),
    () => db.tokenLog.count({ where }),
  );
  return { items: await withNames(tenantId, rows.items), total: rows.total };
}

/** The newest MAX_EXPORT_ROWS matching requests, for the NDJSON export. */
export async function exportTokenLog(tenantId: string, filters: unknown): Promise<TokenLogRecord[]> {
  const where = tokenLogWhere(tenantId, filters);
  return withNames(tenantId, await db.tokenLog.findMany({ where, orderBy: ORDER, take: MAX_EXPORT_ROWS }));
}

async function withNames(tenantId: string, rows: TokenLog[]): Promise<TokenLogRecord[]> {
  const appIds = [...new Set(rows.flatMap((r) => (r.applicationId ? [r.applicationId] : [])))];
  const apiIds = [...new Set(rows.flatMap((r) => (r.apiId ? [r.apiId] : [])))];
  const [apps, apis] = await Promise.all([
    appIds.length ? db.application.findMany({ where: { tenantId, id: { in: appIds } }, select: { id: true, name: true, clientId: true } }) : [],
    apiIds.length ? db.api.findMany({ where: { tenantId, id: { in: apiIds } }, select: { id: true, name: true } }) : [],
  ]);
  const appById = new Map(apps.map((a) => [a.id, a]));
  const apiById = new Map(apis.map((a) => [a.id, a]));
  return rows.map((r) => ({
    ...r,
    application: (r.applicationId && appById.get(r.applicationId)) || null,
    api: (r.apiId && apiById.get(r.apiId)) || null,
  }));
}

/** What the dashboard's filters offer: the tenant's APIs, and the error codes and applications its log holds. */
export async function tokenLogChoices(tenantId: string): Promise<{
  applications: Array<{ id: string; name: string }>;
  apis: Array<{ id: string; name: string }>;
  errors: string[];
}> {
  const [appIds, apis, outcomes] = await Promise.all([
    db.tokenLog.groupBy({ by: ["applicationId"], where: { tenantId, applicationId: { not: null } }, orderBy: { applicationId: "asc" }, take: 500 }),
    db.api.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 500 }),
    db.tokenLog.groupBy({ by: ["outcome"], where: { tenantId, outcome: { not: "ok" } }, orderBy: { outcome: "asc" } }),
  ]);
  const ids = appIds.flatMap((a) => (a.applicationId ? [a.applicationId] : []));
  const applications = ids.length
    ? await db.application.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true }, orderBy: { name: "asc" } })
    : [];
  return { applications, apis, errors: outcomes.map((o) => o.outcome) };
}
