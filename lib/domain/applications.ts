// M2M applications: name, description, public client id, secrets and grants.
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { generateClientId } from "@/lib/crypto";
import type { Application, Prisma } from "@/lib/generated/prisma/client";
import { freeApplicationKey, keyFromName, keyTaken } from "./application-keys";
import { type Actor, recordAudit } from "./audit";
import { mutateTenant } from "./changes";
import { NotFoundError, assertThat, isUniqueViolation } from "./errors";
import { pageNumber } from "./paging";
import { assertWithinCap } from "./limits";
import { SECRET_EXPIRY_WARNING_MS, enforceCredentialCeiling, insertSecret } from "./secrets";
import { createApplicationInput, updateApplicationInput } from "./shapes/applications";
import { definedOnly, parseInput } from "./validation";

export const applicationSelect = {
  id: true,
  key: true,
  name: true,
  description: true,
  clientId: true,
  enabled: true,
  quotaPerHour: true,
  quotaPerDay: true,
  quotaMode: true,
  assertionsOnly: true,
  dpopRequired: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Creates an application with its first secret; the secret's value is returned only here. */
export async function createApplication(tenantId: string, input: z.input<typeof createApplicationInput>, actor: Actor) {
  const { name, description, key } = parseInput(createApplicationInput, input);
  const result = await mutateTenant(tenantId, async (tx) => {
    assertWithinCap("GRANTRY_MAX_APPLICATIONS", await tx.application.count({ where: { tenantId } }));
    const { application, secret } = await insertApplication(tx, tenantId, {
      name,
      description: description ?? "",
      key: await freeApplicationKey(tx, tenantId, key ?? keyFromName(name), key === undefined),
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "application.create",
      targetType: "application",
      targetId: application.id,
      after: { key: application.key, name, description: application.description, clientId: application.clientId },
    });
    return { application, secret };
  });
  return result;
}

/**
 * The row and its first secret, in the caller's transaction (of mutateTenant:
 * the cap and the key were checked under its lock). Unaudited: the caller
 * records the change, alone or as part of an apply.
 */
export async function insertApplication(tx: Tx, tenantId: string, data: { name: string; description: string; key: string } & ApplicationData) {
  const application = await tx.application.create({ data: { tenantId, ...data, clientId: generateClientId() }, select: applicationSelect });
  const secret = await insertSecret(tx, tenantId, application.id, null);
  return { application, secret };
}

type ApplicationData = Partial<
  Pick<Application, "key" | "name" | "description" | "enabled" | "quotaPerHour" | "quotaPerDay" | "quotaMode" | "assertionsOnly" | "dpopRequired">
>;

/** An update's columns: what the input names, and nothing it leaves out. */
export function applicationData(input: z.output<typeof updateApplicationInput>): ApplicationData {
  const { quota_per_hour, quota_per_day, quota_mode, assertions_only, dpop_required, ...rest } = input;
  return definedOnly({
    ...rest,
    quotaPerHour: quota_per_hour,
    quotaPerDay: quota_per_day,
    quotaMode: quota_mode,
    assertionsOnly: assertions_only,
    dpopRequired: dpop_required,
  });
}

export type ListApplicationsQuery = { q?: string; page?: number; perPage?: number };

/**
 * A client id is found by its first 8 characters or more. Fewer would also
 * match unrelated applications whose random ids happen to start alike.
 */
export const CLIENT_ID_PREFIX_MIN = 8;

/**
 * Any part of the name (the trigram index), or the start of the client id
 * (LIKE 'prefix%' on the client id's trigram index, which serves it under any
 * database collation).
 */
function searchWhere(q: string | undefined): Prisma.ApplicationWhereInput {
  if (!q) return {};
  // Only an id's own characters: LIKE would read % and _ in the term as wildcards.
  const prefix = q.length >= CLIENT_ID_PREFIX_MIN && /^[A-Za-z0-9]+$/.test(q);
  const byClientId: Prisma.ApplicationWhereInput = prefix ? { clientId: { startsWith: q } } : { clientId: q };
  // Prisma passes the term to (I)LIKE as it is: % and _ in a name are text, escaped with LIKE's default backslash.
  const literal = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  return { OR: [{ name: { contains: literal, mode: "insensitive" } }, byClientId] };
}

const newestFirst: Prisma.ApplicationOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];

function pageOf(query: ListApplicationsQuery) {
  // From a URL: `?q=a&q=b` is an array and `?page=1e21` a number no offset can hold.
  const q = typeof query.q === "string" ? query.q.trim() : undefined;
  return { perPage: Math.min(Math.max(query.perPage ?? 25, 1), 100), page: pageNumber(query.page), q };
}

/** A page of applications, newest first, filtered by name or client id (prefix). */
export async function listApplications(tenantId: string, query: ListApplicationsQuery = {}) {
  const { perPage, page, q } = pageOf(query);
  const where: Prisma.ApplicationWhereInput = { tenantId, ...searchWhere(q) };
  const [rows, total] = await Promise.all([
    db.application.findMany({ where, select: applicationSelect, orderBy: newestFirst, skip: (page - 1) * perPage, take: perPage }),
    q ? db.application.count({ where }) : countApplications(tenantId),
  ]);
  const expiring = await secretsExpiringSoon(
    tenantId,
    rows.map((a) => a.id),
  );
  const items = rows.map((a) => ({ ...a, secretsExpireAt: expiring.get(a.id) ?? null }));
  return { items, total, page, perPage };
}

/**
 * A page of applications as one API sees them: those authorized for it first
 * (an admin looks for them; they were scattered over every page), then the
 * rest, each part newest first; `authorizedOnly` leaves out the rest. Two
 * ranges stitched by the offset, each read from the database's own page
 * (Grant's (applicationId, apiId) index), never every application.
 */
export async function listApplicationsForApi(tenantId: string, apiId: string, query: ListApplicationsQuery & { authorizedOnly?: boolean } = {}) {
  const { perPage, page, q } = pageOf(query);
  const search = searchWhere(q);
  const authorizedWhere: Prisma.ApplicationWhereInput = { tenantId, ...search, grants: { some: { apiId } } };
  const othersWhere: Prisma.ApplicationWhereInput = { tenantId, ...search, grants: { none: { apiId } } };
  const [authorized, others] = await Promise.all([
    db.application.count({ where: authorizedWhere }),
    query.authorizedOnly ? Promise.resolve(0) : db.application.count({ where: othersWhere }),
  ]);
  const offset = (page - 1) * perPage;
  const fromAuthorized = Math.max(0, Math.min(perPage, authorized - offset));
  const [first, rest] = await Promise.all([
    fromAuthorized > 0
      ? db.application.findMany({ where: authorizedWhere, select: applicationSelect, orderBy: newestFirst, skip: offset, take: fromAuthorized })
      : [],
    fromAuthorized < perPage && others > 0
      ? db.application.findMany({
          where: othersWhere,
          select: applicationSelect,
          orderBy: newestFirst,
          skip: Math.max(0, offset - authorized),
          take: perPage - fromAuthorized,
        })
      : [],
  ]);
  return { items: [...first, ...rest], total: authorized + others, authorized, page, perPage };
}

/**
 * For each of these applications whose live secrets all expire within the
 * warning window: when the last of them expires (the application stops
 * getting tokens then). One grouped query for the whole page, on the
 * ClientSecret(applicationId) index; applications without a live secret, or
 * with one that never expires or expires later, are left out.
 */
export async function secretsExpiringSoon(tenantId: string, applicationIds: string[], now = new Date()): Promise<Map<string, Date>> {
  if (applicationIds.length === 0) return new Map();
  const groups = await db.clientSecret.groupBy({
    by: ["applicationId"],
    where: { tenantId, applicationId: { in: applicationIds }, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    _count: { _all: true, expiresAt: true },
    _max: { expiresAt: true },
  });
  const soon = new Map<string, Date>();
  for (const g of groups) {
    const last = g._max.expiresAt;
    // count(expiresAt) skips NULLs: fewer than all means a secret never expires.
    if (g._count.expiresAt === g._count._all && last && last.getTime() - now.getTime() < SECRET_EXPIRY_WARNING_MS) soon.set(g.applicationId, last);
  }
  return soon;
}

/**
 * All of a tenant's applications, counted from the (tenantId, createdAt)
 * index alone. A plain count(*) makes the planner scan the table when one
 * tenant holds most of it; asking for the index's order makes the index-only
 * scan the cheaper plan, whatever the tenant's share (see
 * docs/decisions/0009-dashboard-at-scale.md).
 */
async function countApplications(tenantId: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ count: bigint }>>`
    SELECT count(*) AS count FROM (SELECT 1 FROM "Application" WHERE "tenantId" = ${tenantId} ORDER BY "tenantId", "createdAt") AS s`;
  return Number(row?.count ?? 0);
}

export async function getApplication(tenantId: string, applicationId: string) {
  const app = await db.application.findFirst({ where: { id: applicationId, tenantId }, select: applicationSelect });
  assertThat(app, new NotFoundError("Application"));
  return app;
}

/** The tenant's application with this client id, or null. */
export async function findApplicationByClientId(tenantId: string, clientId: string) {
  return db.application.findFirst({ where: { tenantId, clientId }, select: applicationSelect });
}

/** Changes what `input` names; an absent field stays as it is (and is not audited). */
export async function updateApplication(tenantId: string, applicationId: string, input: z.input<typeof updateApplicationInput>, actor: Actor) {
  const data = applicationData(parseInput(updateApplicationInput, input));
  const before = await getApplication(tenantId, applicationId);
  // Turning a disabled application back on hands its Management API scopes out again.
  if (data.enabled === true && !before.enabled) await enforceCredentialCeiling(tenantId, applicationId, actor, "application.update");
  const updated = await mutateTenant(tenantId, async (tx) => {
    const app = await tx.application.update({ where: { id: before.id }, data, select: applicationSelect }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? keyTaken() : error;
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "application.update",
      targetType: "application",
      targetId: applicationId,
      before: pick(before, data),
      after: pick(app, data),
    });
    return app;
  });
  return updated;
}

export async function deleteApplication(tenantId: string, applicationId: string, actor: Actor) {
  const before = await getApplication(tenantId, applicationId);
  await mutateTenant(tenantId, async (tx) => {
    await tx.application.delete({ where: { id: before.id } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "application.delete",
      targetType: "application",
      targetId: applicationId,
      before: { key: before.key, name: before.name, clientId: before.clientId },
    });
  });
}

function pick<T extends object>(source: T, keys: object): Partial<T> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, source[k as keyof T]])) as Partial<T>;
}
