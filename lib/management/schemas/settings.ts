// The tenant's settings and the member changes, as the Management API takes and shows them.
import { z } from "zod";
import type { getTenant } from "@/lib/domain/tenants";
import { roleSchema, tenantNameSchema } from "@/lib/domain/schemas";
import { component, iso, timestamp } from "./common";

export const tenantSchema = component(
  z.object({
    id: z.string(),
    slug: z.string().describe("Part of the issuer URL; cannot change"),
    name: z.string(),
    issuer: z.string().describe("The tenant's issuer URL, also the Management API's audience"),
    created_at: timestamp,
  }),
  "Tenant",
  "The tenant this token belongs to",
);

export function presentTenant(tenant: Awaited<ReturnType<typeof getTenant>>, issuer: string): z.input<typeof tenantSchema> {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, issuer, created_at: iso(tenant.createdAt) };
}

export const updateTenantBody = z.object({ name: tenantNameSchema.optional().describe("The display name") }).strict();

export const updateUserBody = z.object({ role: roleSchema }).strict();
