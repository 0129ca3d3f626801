// The tenant: its settings' input, the JSON, the presenter.
import { z } from "zod";
import { tenantNameSchema } from "../schemas";
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

export function presentTenant(tenant: { id: string; slug: string; name: string; createdAt: Date }, issuer: string): z.input<typeof tenantSchema> {
  return { id: tenant.id, slug: tenant.slug, name: tenant.name, issuer, created_at: iso(tenant.createdAt) };
}

export const updateTenantInput = z.object({ name: tenantNameSchema.optional().describe("The display name") }).strict();
