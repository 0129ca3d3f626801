// APIs (resource servers): identifier (the audience), scopes, token lifetime, algorithm.
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { issuerFor } from "@/lib/tenancy";
import { type Actor, recordAudit } from "./audit";
import { mutateTenant } from "./changes";
import { ConflictError, ForbiddenError, NotFoundError, assertThat, isUniqueViolation } from "./errors";
import { canonicalIdentifier } from "./identifiers";
import { assertWithinCap } from "./limits";
import { type KeyMaterial, ensureCurrentKey, newKeyMaterial } from "./keys";
import { MANAGEMENT_API_PLACEHOLDER, publicIdentifier } from "./management-api";
import { type ListPage, type Paged, readList } from "./paging";
import type { SigningAlgorithm } from "./schemas";
import { addScopeInput, createApiInput, updateApiInput } from "./shapes/apis";
import { definedOnly, parseInput } from "./validation";

const apiInclude = { scopes: { select: { id: true, name: true, description: true }, orderBy: { name: "asc" } } } as const;

type ApiRow = Awaited<ReturnType<typeof findApiRow>>;
type ApiRowScope = NonNullable<ApiRow>["scopes"][number];

function findApiRow(tenantId: string, apiId: string) {
  return db.api.findFirst({ where: { id: apiId, tenantId }, include: apiInclude });
}

async function tenantIssuer(tenantId: string): Promise<string> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { slug: true } });
  assertThat(tenant, new NotFoundError("Tenant"));
  return issuerFor(tenant.slug);
}

/** The API as callers see it: the Management API's identifier is the issuer URL. */
function withPublicIdentifier<T extends { kind: string; identifier: string }>(api: T, issuer: string): T {
  return { ...api, identifier: publicIdentifier(api, issuer) };
}

export async function createApi(tenantId: string, input: z.input<typeof createApiInput>, actor: Actor) {
  const data = parseInput(createApiInput, input);
  const issuer = await tenantIssuer(tenantId);
  const canonical = canonicalIdentifier(data.identifier);
  if (isReservedIdentifier(canonical, issuer)) {
    throw new ConflictError("This identifier belongs to the Grantry Management API", { identifier: `Reserved: it is the tenant's issuer (${issuer})` });
  }
  await assertIdentifierFree(tenantId, canonical);
  assertWithinCap("GRANTRY_MAX_SCOPES_PER_API", 0, data.scopes?.length ?? 0, "scopes");
  const scopeNames = new Set<string>();
  for (const s of data.scopes ?? []) {
    if (scopeNames.has(s.name)) throw new ConflictError(`Scope "${s.name}" is listed twice`, { scopes: `Duplicate scope ${s.name}` });
    scopeNames.add(s.name);
  }
  const key = await keyIfMissing(tenantId, data.signing_alg ?? "RS256");
  try {
    const api = await mutateTenant(tenantId, async (tx) => {
      assertWithinCap("GRANTRY_MAX_APIS", await tx.api.count({ where: { tenantId } }));
      const created = await insertApi(
        tx,
        tenantId,
        {
          name: data.name,
          identifier: data.identifier,
          canonical,
          tokenLifetime: data.token_lifetime ?? 86400,
          signingAlg: data.signing_alg ?? "RS256",
          dpopRequired: data.dpop_required ?? false,
          scopes: (data.scopes ?? []).map((s) => ({ name: s.name, description: s.description ?? "" })),
        },
        key,
      );
      await recordAudit(tx, { tenantId, actor, action: "api.create", targetType: "api", targetId: created.id, after: summary(created) });
      return created;
    });
    return api;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("An API with this identifier already exists", { identifier: "Already used by another API" });
    throw error;
  }
}

/** The Grantry Management API's identifiers (the issuer, the stored placeholder): no other API may take them. */
export function isReservedIdentifier(canonical: string, issuer: string): boolean {
  return canonical === canonicalIdentifier(issuer) || canonical === MANAGEMENT_API_PLACEHOLDER;
}

export type ApiRowInput = {
  name: string;
  identifier: string;
  canonical: string;
  tokenLifetime: number;
  signingAlg: SigningAlgorithm;
  dpopRequired: boolean;
  scopes: Array<{ name: string; description: string }>;
};

/**
 * The API with its scopes, and a current key for its algorithm (`key`: made
 * before the transaction), in the caller's mutateTenant transaction.
 * Unaudited: the caller records the change, alone or as part of an apply.
 */
export async function insertApi(tx: Tx, tenantId: string, row: ApiRowInput, key: KeyMaterial | undefined) {
  const { canonical, scopes, ...columns } = row;
  const created = await tx.api.create({
    data: { tenantId, ...columns, canonicalIdentifier: canonical, scopes: { create: scopes.map((s) => ({ tenantId, ...s })) } },
    include: apiInclude,
  });
  await ensureCurrentKey(tx, tenantId, created.signingAlg, key);
  return created;
}

/** Refuses an identifier whose canonical form another API of the tenant has, naming that API's identifier. */
async function assertIdentifierFree(tenantId: string, canonical: string) {
  const taken = await db.api.findFirst({ where: { tenantId, canonicalIdentifier: canonical }, select: { identifier: true } });
  if (taken) {
    throw new ConflictError("An API with this identifier already exists", {
      identifier: `Already used by another API (${taken.identifier}): identifiers differing only in the case of scheme or host, a default port or a trailing slash are the same`,
    });
  }
}

/** The Grantry Management API first, then by name; the id orders APIs of the same name. */
const API_ORDER: Prisma.ApiOrderByWithRelationInput[] = [{ kind: "desc" }, { name: "asc" }, { id: "asc" }];

/** APIs without their scopes: all of the tenant's, or one page and the total. */
async function readApis(tenantId: string, page?: ListPage) {
  const where = { tenantId };
  const [issuer, { items, total }] = await Promise.all([
    tenantIssuer(tenantId),
    readList(
      page,
      (window) => db.api.findMany({ where, orderBy: API_ORDER, ...window }),
      () => db.api.count({ where }),
    ),
  ]);
  return { items: items.map((api) => withPublicIdentifier(api, issuer)), total };
}

/** Every API of the tenant without its scopes, the Grantry Management API first. */
export async function listApiSummaries(tenantId: string) {
  return (await readApis(tenantId)).items;
}

export type ApiSummary = Awaited<ReturnType<typeof listApiSummaries>>[number];
export type ApiWithScopes = ApiSummary & { scopes: ApiRowScope[] };

/**
 * The scopes of the tenant's APIs (all of them, or those in `apiIds`) by API
 * id, in one query by tenant. Prisma's `include` sent them as a second query
 * after the APIs, with an IN-list of every API id; on the embedded database
 * the scopes are most of a page's read time (5 per API: 505 rows at 100 APIs).
 */
export async function scopesOfApis(tenantId: string, apiIds?: readonly string[]): Promise<Map<string, ApiRowScope[]>> {
  const byApi = new Map<string, ApiRowScope[]>();
  if (apiIds?.length === 0) return byApi;
  const rows = await db.scope.findMany({
    where: { tenantId, ...(apiIds ? { apiId: { in: [...apiIds] } } : {}) },
    select: { apiId: true, ...apiInclude.scopes.select },
    orderBy: apiInclude.scopes.orderBy,
  });
  for (const { apiId, ...scope } of rows) {
    const list = byApi.get(apiId);
    if (list) list.push(scope);
    else byApi.set(apiId, [scope]);
  }
  return byApi;
}

/** The tenant's APIs with their scopes, the Grantry Management API first: all of them, or one page and the total. */
export function listApis(tenantId: string): Promise<ApiWithScopes[]>;
export function listApis(tenantId: string, page: ListPage): Promise<Paged<ApiWithScopes>>;
export async function listApis(tenantId: string, page?: ListPage): Promise<ApiWithScopes[] | Paged<ApiWithScopes>> {
  const withScopes = (apis: ApiSummary[], scopes: Map<string, ApiRowScope[]>) => apis.map((api) => ({ ...api, scopes: scopes.get(api.id) ?? [] }));
  if (!page) {
    const [apis, scopes] = await Promise.all([listApiSummaries(tenantId), scopesOfApis(tenantId)]);
    return withScopes(apis, scopes);
  }
  const { items, total } = await readApis(tenantId, page);
  return {
    items: withScopes(
      items,
      await scopesOfApis(
        tenantId,
        items.map((api) => api.id),
      ),
    ),
    total,
  };
}

export async function getApi(tenantId: string, apiId: string) {
  const api = await findApiRow(tenantId, apiId);
  assertThat(api, new NotFoundError("API"));
  return withPublicIdentifier(api, await tenantIssuer(tenantId));
}

/** An API's scopes by name: one page and the total (all of them without a page). */
export async function listScopes(tenantId: string, apiId: string, page?: ListPage): Promise<Paged<ApiRowScope>> {
  const api = await db.api.findFirst({ where: { id: apiId, tenantId }, select: { id: true } });
  assertThat(api, new NotFoundError("API"));
  const where = { tenantId, apiId };
  return readList(
    page,
    (window) => db.scope.findMany({ where, select: apiInclude.scopes.select, orderBy: [apiInclude.scopes.orderBy, { id: "asc" }], ...window }),
    () => db.scope.count({ where }),
  );
}

export async function updateApi(tenantId: string, apiId: string, input: z.input<typeof updateApiInput>, actor: Actor) {
  const { token_lifetime, signing_alg, name, dpop_required } = parseInput(updateApiInput, input);
  const data = definedOnly({ name, tokenLifetime: token_lifetime, signingAlg: signing_alg, dpopRequired: dpop_required });
  const before = await getApi(tenantId, apiId);
  if (before.kind === "management" && data.name !== undefined && data.name !== before.name) {
    throw new ForbiddenError("The Grantry Management API cannot be renamed");
  }
  const key = data.signingAlg ? await keyIfMissing(tenantId, data.signingAlg) : undefined;
  const api = await mutateTenant(tenantId, async (tx) => {
    const updated = await tx.api.update({ where: { id: before.id }, data, include: apiInclude });
    await ensureCurrentKey(tx, tenantId, updated.signingAlg, key);
    // `before` shows the Management API's identifier as the issuer, so `after` must too (it is immutable).
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "api.update",
      targetType: "api",
      targetId: apiId,
      before: summary(before),
      after: summary(withPublicIdentifier(updated, before.identifier)),
    });
    return updated;
  });
  return withPublicIdentifier(api, await tenantIssuer(tenantId));
}

export async function deleteApi(tenantId: string, apiId: string, actor: Actor) {
  const before = await getApi(tenantId, apiId);
  if (before.kind === "management") throw new ForbiddenError("The Grantry Management API cannot be deleted");
  await mutateTenant(tenantId, async (tx) => {
    await tx.api.delete({ where: { id: before.id } });
    await recordAudit(tx, { tenantId, actor, action: "api.delete", targetType: "api", targetId: apiId, before: summary(before) });
  });
}

export async function addScope(tenantId: string, apiId: string, input: z.input<typeof addScopeInput>, actor: Actor) {
  const data = parseInput(addScopeInput, input);
  const api = await getApi(tenantId, apiId);
  if (api.kind === "management") throw new ForbiddenError("The Grantry Management API's scopes are built in");
  try {
    const scope = await mutateTenant(tenantId, async (tx) => {
      assertWithinCap("GRANTRY_MAX_SCOPES_PER_API", await tx.scope.count({ where: { tenantId, apiId } }), 1, "name");
      const created = await tx.scope.create({
        data: { tenantId, apiId, name: data.name, description: data.description ?? "" },
        select: { id: true, name: true, description: true },
      });
      await recordAudit(tx, { tenantId, actor, action: "scope.create", targetType: "api", targetId: apiId, after: created });
      return created;
    });
    return scope;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`Scope "${data.name}" already exists on this API`, { name: "Already exists" });
    throw error;
  }
}

/** Removes a scope from the API and from every grant that held it. */
export async function removeScope(tenantId: string, apiId: string, scopeName: string, actor: Actor) {
  const api = await getApi(tenantId, apiId);
  if (api.kind === "management") throw new ForbiddenError("The Grantry Management API's scopes are built in");
  const scope = api.scopes.find((s) => s.name === scopeName || s.id === scopeName);
  assertThat(scope, new NotFoundError("Scope"));
  await mutateTenant(tenantId, async (tx) => {
    await tx.scope.delete({ where: { id: scope.id } });
    await recordAudit(tx, { tenantId, actor, action: "scope.delete", targetType: "api", targetId: apiId, before: scope });
  });
}

/** Key material for `alg` when the tenant has no current key for it, made before any transaction opens. */
export async function keyIfMissing(tenantId: string, alg: SigningAlgorithm) {
  const existing = await db.signingKey.findFirst({ where: { tenantId, alg, state: "current" }, select: { id: true } });
  return existing ? undefined : newKeyMaterial(alg);
}

function summary(api: NonNullable<ApiRow>) {
  return {
    name: api.name,
    identifier: api.identifier,
    tokenLifetime: api.tokenLifetime,
    signingAlg: api.signingAlg,
    dpopRequired: api.dpopRequired,
    scopes: api.scopes.map((s) => s.name),
  };
}
