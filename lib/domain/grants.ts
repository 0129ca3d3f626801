// Grants: application × API × a subset of the API's scopes. The APIServer tab
// and the API's Machine to Machine tab edit the same rows.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, recordAudit } from "./audit";
import { markTenantChanged } from "./changes";
import { NotFoundError, ValidationError, assertThat } from "./errors";
import { quotaModeSchema, quotaSchema, scopeNameSchema } from "./schemas";
import { parseInput } from "./validation";

const grantInclude = {
  application: { select: { id: true, name: true, clientId: true } },
  api: { select: { id: true, name: true, identifier: true, kind: true } },
  scopes: { select: { scope: { select: { name: true } } } },
} as const;

type GrantRow = Prisma.GrantGetPayload<{ include: typeof grantInclude }>;

export function presentGrant(grant: GrantRow) {
  const { scopes, ...rest } = grant;
  return { ...rest, scopes: scopes.map((s) => s.scope.name).sort() };
}

export const setGrantInput = z
  .object({
    applicationId: z.string().min(1),
    apiId: z.string().min(1),
    scopes: z.array(scopeNameSchema).max(500),
    expiresAt: z.coerce.date().nullable().optional(),
    quotaPerHour: quotaSchema.optional(),
    quotaPerDay: quotaSchema.optional(),
    quotaMode: quotaModeSchema.optional(),
  })
  .strict();

/** Creates or replaces the grant of an application to an API with exactly these scopes. */
export async function setGrant(tenantId: string, input: z.input<typeof setGrantInput>, actor: Actor) {
  const { applicationId, apiId, scopes, ...options } = parseInput(setGrantInput, input);
  const [app, api] = await Promise.all([
    db.application.findFirst({ where: { id: applicationId, tenantId }, select: { id: true } }),
    db.api.findFirst({ where: { id: apiId, tenantId }, include: { scopes: { select: { id: true, name: true } } } }),
  ]);
  assertThat(app, new NotFoundError("Application"));
  assertThat(api, new NotFoundError("API"));
  const wanted = [...new Set(scopes)];
  const unknown = wanted.filter((name) => !api.scopes.some((s) => s.name === name));
  if (unknown.length) throw new ValidationError({ scopes: `Not scopes of this API: ${unknown.join(", ")}` });
  const scopeIds = api.scopes.filter((s) => wanted.includes(s.name)).map((s) => s.id);

  const before = await db.grant.findUnique({ where: { applicationId_apiId: { applicationId, apiId } }, include: grantInclude });
  const grant = await db.$transaction(async (tx) => {
    const row = await tx.grant.upsert({
      where: { applicationId_apiId: { applicationId, apiId } },
      create: { tenantId, applicationId, apiId, ...options },
      update: options,
    });
    await tx.grantScope.deleteMany({ where: { grantId: row.id } });
    if (scopeIds.length) await tx.grantScope.createMany({ data: scopeIds.map((scopeId) => ({ grantId: row.id, scopeId })) });
    const after = await tx.grant.findUniqueOrThrow({ where: { id: row.id }, include: grantInclude });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: before ? "grant.update" : "grant.create",
      targetType: "grant",
      targetId: row.id,
      before: before ? auditView(presentGrant(before)) : undefined,
      after: auditView(presentGrant(after)),
    });
    return after;
  });
  markTenantChanged(tenantId);
  return presentGrant(grant);
}

export type GrantChanges = Omit<z.input<typeof setGrantInput>, "applicationId" | "apiId" | "scopes"> & { scopes?: string[] };

/** Changes an existing grant's scopes, expiry or quotas; what `changes` leaves out stays as it is. */
export async function updateGrant(tenantId: string, grantId: string, changes: GrantChanges, actor: Actor) {
  const current = await getGrant(tenantId, grantId);
  const { scopes, ...options } = changes;
  return setGrant(tenantId, { applicationId: current.applicationId, apiId: current.apiId, scopes: scopes ?? current.scopes, ...options }, actor);
}

export async function deleteGrant(tenantId: string, grantId: string, actor: Actor) {
  const before = await db.grant.findFirst({ where: { id: grantId, tenantId }, include: grantInclude });
  assertThat(before, new NotFoundError("Grant"));
  await db.$transaction(async (tx) => {
    await tx.grant.delete({ where: { id: before.id } });
    await recordAudit(tx, { tenantId, actor, action: "grant.delete", targetType: "grant", targetId: grantId, before: auditView(presentGrant(before)) });
  });
  markTenantChanged(tenantId);
}

export async function getGrant(tenantId: string, grantId: string) {
  const grant = await db.grant.findFirst({ where: { id: grantId, tenantId }, include: grantInclude });
  assertThat(grant, new NotFoundError("Grant"));
  return presentGrant(grant);
}

export async function listGrants(tenantId: string, filter: { applicationId?: string; apiId?: string } = {}) {
  const grants = await db.grant.findMany({
    where: { tenantId, ...(filter.applicationId ? { applicationId: filter.applicationId } : {}), ...(filter.apiId ? { apiId: filter.apiId } : {}) },
    include: grantInclude,
    orderBy: { createdAt: "asc" },
  });
  return grants.map(presentGrant);
}

function auditView(grant: ReturnType<typeof presentGrant>) {
  const { expiresAt, quotaPerHour, quotaPerDay, quotaMode } = grant;
  return { application: grant.application.clientId, api: grant.api.id, scopes: grant.scopes, expiresAt, quotaPerHour, quotaPerDay, quotaMode };
}
