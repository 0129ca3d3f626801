// Tenants: each with its signing key and its built-in Management API.
import { db } from "@/lib/db";
import { z } from "zod";
import { type Actor, recordAudit } from "./audit";
import { ConflictError, NotFoundError, assertThat, isUniqueViolation } from "./errors";
import { ensureCurrentKey, newKeyMaterial } from "./keys";
import { assertRate } from "./limits";
import { MANAGEMENT_API_NAME, MANAGEMENT_API_PLACEHOLDER, MANAGEMENT_SCOPES } from "./management-api";
import { slugSchema, tenantNameSchema } from "./schemas";
import { updateTenantInput } from "./shapes/tenant";
import { parseInput } from "./validation";

export const createTenantInput = z.object({ slug: slugSchema, name: tenantNameSchema.optional() }).strict();

/** Creates a tenant with its first signing key and its Management API; `ownerId` becomes its owner. */
export async function createTenant(input: z.input<typeof createTenantInput>, actor: Actor, ownerId?: string) {
  const { slug, name } = parseInput(createTenantInput, input);
  // A user creating tenants in a loop: each one carries a key pair and a Management API.
  if (ownerId) await assertRate("tenantCreationPerUser", ownerId, "Too many tenants created (GRANTRY_RATE_LIMIT_TENANT_CREATION)");
  // RSA key generation takes a while under load: not inside the transaction.
  const key = await newKeyMaterial("RS256");
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { slug, name: name || slug } });
      if (ownerId) await tx.membership.create({ data: { tenantId: tenant.id, userId: ownerId, role: "owner" } });
      await ensureCurrentKey(tx, tenant.id, "RS256", key);
      await tx.api.create({
        data: {
          tenantId: tenant.id,
          name: MANAGEMENT_API_NAME,
          identifier: MANAGEMENT_API_PLACEHOLDER,
          canonicalIdentifier: MANAGEMENT_API_PLACEHOLDER,
          kind: "management",
          scopes: { create: MANAGEMENT_SCOPES.map((s) => ({ ...s, tenantId: tenant.id })) },
        },
      });
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor,
        action: "tenant.create",
        targetType: "tenant",
        targetId: tenant.id,
        after: { slug, name: tenant.name },
      });
      return tenant;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`A tenant with slug "${slug}" already exists`, { slug: "Already taken" });
    throw error;
  }
}

export async function getTenantBySlug(slug: string) {
  const tenant = await db.tenant.findUnique({ where: { slug } });
  assertThat(tenant, new NotFoundError("Tenant"));
  return tenant;
}

export async function getTenant(tenantId: string) {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId } });
  assertThat(tenant, new NotFoundError("Tenant"));
  return tenant;
}

export async function findTenantBySlug(slug: string) {
  return db.tenant.findUnique({ where: { slug } });
}

/** Changes the tenant's settings (today its name); the slug, and so the issuer, never change. */
export async function updateTenant(tenantId: string, input: z.input<typeof updateTenantInput>, actor: Actor) {
  const parsed = parseInput(updateTenantInput, input);
  const before = await db.tenant.findUnique({ where: { id: tenantId } });
  assertThat(before, new NotFoundError("Tenant"));
  if (parsed.name === undefined || before.name === parsed.name) return before;
  return db.$transaction(async (tx) => {
    const tenant = await tx.tenant.update({ where: { id: tenantId }, data: { name: parsed.name! } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "tenant.update",
      targetType: "tenant",
      targetId: tenantId,
      before: { name: before.name },
      after: { name: tenant.name },
    });
    return tenant;
  });
}

/** Tenants the user is a member of, with their role. */
export async function listTenantsForUser(userId: string) {
  const memberships = await db.membership.findMany({
    where: { userId },
    include: { tenant: true },
    orderBy: { tenant: { slug: "asc" } },
  });
  return memberships.map((m) => ({ ...m.tenant, role: m.role }));
}
