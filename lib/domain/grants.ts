// Grants: application × API × a subset of the API's scopes. The APIServer tab
// and the API's Machine to Machine tab edit the same rows.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, recordAudit } from "./audit";
import { mutateTenant } from "./changes";
import { enforceCeiling } from "./delegation";
import { ConflictError, NotFoundError, ValidationError, assertThat } from "./errors";
import { assertWithinCap } from "./limits";
import { type ListPage, type Paged, readList } from "./paging";
import { listApiSummaries } from "./apis";
import { expiryDate } from "./shapes/common";
import { createGrantInput, updateGrantInput } from "./shapes/grants";
import { definedOnly, parseInput } from "./validation";

const grantInclude = {
  application: { select: { id: true, name: true, clientId: true } },
  api: { select: { id: true, name: true, identifier: true, kind: true } },
  scopes: { select: { scope: { select: { name: true } } } },
} as const;

type GrantRow = Prisma.GrantGetPayload<{ include: typeof grantInclude }>;

/** A grant row with its scope names, sorted. */
function grantFromRow(grant: GrantRow) {
  const { scopes, ...rest } = grant;
  return { ...rest, scopes: scopes.map((s) => s.scope.name).sort() };
}

/** A grant to write, once its input is parsed and its API found. */
type GrantWrite = {
  applicationId: string;
  apiId: string;
  scopes: string[];
  options: { expiresAt?: Date | null; quotaPerHour?: number | null; quotaPerDay?: number | null; quotaMode?: "enforce" | "log" };
};

function grantOptions(input: z.output<typeof updateGrantInput>): GrantWrite["options"] {
  return definedOnly({
    expiresAt: expiryDate(input.expires_at),
    quotaPerHour: input.quota_per_hour,
    quotaPerDay: input.quota_per_day,
    quotaMode: input.quota_mode,
  });
}

/**
 * How a write meets an existing grant of the same application and API:
 * `replace` takes it over (the Authorize toggle, the CLI), `create` refuses it
 * (the Management API's POST: 409), and `{ grantId }` changes only that grant
 * and refuses to bring it back if it was deleted meanwhile.
 */
type GrantWriteMode = "replace" | "create" | { grantId: string };

/** The API an audience names (the issuer names the Management API). */
async function apiIdForAudience(tenantId: string, audience: string): Promise<string> {
  const api = (await listApiSummaries(tenantId)).find((candidate) => candidate.identifier === audience);
  if (!api) throw new ValidationError({ audience: "No API of this tenant has this identifier" });
  return api.id;
}

/** Creates or replaces the grant of an application to an API (by id or audience) with exactly these scopes. */
export async function setGrant(tenantId: string, input: z.input<typeof createGrantInput>, actor: Actor, mode: "replace" | "create" = "replace") {
  const parsed = parseInput(createGrantInput, input);
  const apiId = parsed.api_id ?? (await apiIdForAudience(tenantId, parsed.audience!));
  return writeGrant(tenantId, { applicationId: parsed.application_id, apiId, scopes: parsed.scopes, options: grantOptions(parsed) }, actor, mode);
}

/** Changes an existing grant's scopes, expiry or quotas; what `input` leaves out stays as it is. */
export async function updateGrant(tenantId: string, grantId: string, input: z.input<typeof updateGrantInput>, actor: Actor) {
  const parsed = parseInput(updateGrantInput, input);
  const current = await getGrant(tenantId, grantId);
  const write = { applicationId: current.applicationId, apiId: current.apiId, scopes: parsed.scopes ?? current.scopes, options: grantOptions(parsed) };
  return writeGrant(tenantId, write, actor, { grantId });
}

async function writeGrant(tenantId: string, input: GrantWrite, actor: Actor, mode: GrantWriteMode) {
  const { applicationId, apiId, scopes, options } = input;
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
  if (api.kind === "management") await enforceGrantCeiling(tenantId, input, actor, wanted);

  const grant = await mutateTenant(tenantId, async (tx) => {
    const before = await tx.grant.findUnique({ where: { applicationId_apiId: { applicationId, apiId } }, include: grantInclude });
    if (mode === "create" && before) throw new ConflictError("The application already holds a grant to this API", { api_id: `Granted already: ${before.id}` });
    if (typeof mode === "object" && before?.id !== mode.grantId) throw new NotFoundError("Grant");
    // A concurrent delete between the read and this write fails the update
    // (P2025, a 404); a concurrent create fails the create (P2002, a 409).
    if (!before) {
      assertWithinCap("GRANTRY_MAX_GRANTS", await tx.grant.count({ where: { tenantId } }));
    }
    const row = before
      ? await tx.grant.update({ where: { id: before.id }, data: options })
      : await tx.grant.create({ data: { tenantId, applicationId, apiId, ...options } });
    await tx.grantScope.deleteMany({ where: { grantId: row.id } });
    if (scopeIds.length) await tx.grantScope.createMany({ data: scopeIds.map((scopeId) => ({ grantId: row.id, scopeId })) });
    const after = await tx.grant.findUniqueOrThrow({ where: { id: row.id }, include: grantInclude });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: before ? "grant.update" : "grant.create",
      targetType: "grant",
      targetId: row.id,
      before: before ? auditView(grantFromRow(before)) : undefined,
      after: auditView(grantFromRow(after)),
    });
    return after;
  });
  return grantFromRow(grant);
}

export async function deleteGrant(tenantId: string, grantId: string, actor: Actor) {
  const before = await db.grant.findFirst({ where: { id: grantId, tenantId }, include: grantInclude });
  assertThat(before, new NotFoundError("Grant"));
  await mutateTenant(tenantId, async (tx) => {
    await tx.grant.delete({ where: { id: before.id } });
    await recordAudit(tx, { tenantId, actor, action: "grant.delete", targetType: "grant", targetId: grantId, before: auditView(grantFromRow(before)) });
  });
}

export async function getGrant(tenantId: string, grantId: string) {
  const grant = await db.grant.findFirst({ where: { id: grantId, tenantId }, include: grantInclude });
  assertThat(grant, new NotFoundError("Grant"));
  return grantFromRow(grant);
}

/** Grants of one application, to one API, and/or of these applications (say, one page of them). */
export type GrantFilter = { applicationId?: string; apiId?: string; applicationIds?: readonly string[] };
export type Grant = ReturnType<typeof grantFromRow>;

function grantWhere(tenantId: string, filter: GrantFilter): Prisma.GrantWhereInput {
  return {
    tenantId,
    ...(filter.apiId ? { apiId: filter.apiId } : {}),
    AND: [
      filter.applicationId ? { applicationId: filter.applicationId } : {},
      filter.applicationIds ? { applicationId: { in: [...filter.applicationIds] } } : {},
    ],
  };
}

/** The tenant's grants (as filtered), oldest first: all of them, or one page and the total. */
export function listGrants(tenantId: string, filter?: GrantFilter): Promise<Grant[]>;
export function listGrants(tenantId: string, filter: GrantFilter, page: ListPage): Promise<Paged<Grant>>;
export async function listGrants(tenantId: string, filter: GrantFilter = {}, page?: ListPage): Promise<Grant[] | Paged<Grant>> {
  const where = grantWhere(tenantId, filter);
  const { items, total } = await readList(
    page,
    (window) => db.grant.findMany({ where, include: grantInclude, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),
    () => db.grant.count({ where }),
  );
  return page ? { items: items.map(grantFromRow), total } : items.map(grantFromRow);
}

/** How many grants the tenant has (as filtered), without reading them. */
export async function countGrants(tenantId: string, filter: GrantFilter = {}): Promise<number> {
  return db.grant.count({ where: grantWhere(tenantId, filter) });
}

/**
 * A grant of Management API scopes hands out authority: the actor's ceiling
 * must cover every scope it adds. Extending the grant's life (a later expiry,
 * or none) hands out all of its scopes again, so then it must cover them all.
 * Keeping or removing scopes beyond the ceiling is allowed: that gives nothing.
 */
async function enforceGrantCeiling(tenantId: string, input: GrantWrite, actor: Actor, wanted: string[]) {
  if (actor.type === "system") return;
  const before = await db.grant.findUnique({
    where: { applicationId_apiId: { applicationId: input.applicationId, apiId: input.apiId } },
    select: { id: true, expiresAt: true, scopes: { select: { scope: { select: { name: true } } } } },
  });
  const held = before ? { scopes: before.scopes.map((s) => s.scope.name), expiresAt: before.expiresAt } : null;
  await enforceCeiling(conferredScopes(held, wanted, input.options.expiresAt), {
    tenantId,
    actor,
    action: before ? "grant.update" : "grant.create",
    targetType: "grant",
    targetId: before?.id,
    asked: { application: input.applicationId, api: input.apiId, scopes: wanted },
  });
}

/**
 * The scopes a write of `wanted` (with `expiresAt`, undefined: unchanged)
 * hands out over the grant `before` holds: the scopes it adds, or all of
 * them when it extends the grant's life (a later expiry, or none).
 */
export function conferredScopes(
  before: { scopes: readonly string[]; expiresAt: Date | null } | null,
  wanted: readonly string[],
  expiresAt: Date | null | undefined,
): string[] {
  const extends_ =
    before !== null && expiresAt !== undefined && (expiresAt === null ? before.expiresAt !== null : !!before.expiresAt && expiresAt > before.expiresAt);
  const held = new Set(before?.scopes ?? []);
  return extends_ ? [...wanted] : wanted.filter((s) => !held.has(s));
}

function auditView(grant: ReturnType<typeof grantFromRow>) {
  const { expiresAt, quotaPerHour, quotaPerDay, quotaMode } = grant;
  return { application: grant.application.clientId, api: grant.api.id, scopes: grant.scopes, expiresAt, quotaPerHour, quotaPerDay, quotaMode };
}
