// A snapshot of every row some tenants own, for the fuzz tests' "nothing
// changed" property: compare dumpTenants() before and after. Left out: the
// usage counters and last-used times that token requests write in batches
// by design (TokenUsage, ClientSecret.lastUsedAt), and Tenant.configVersion, a
// cache-coherence counter that the seeding's own changes bump asynchronously
// (lib/domain/changes.ts), not configuration. One query at a time, as
// the embedded database wants (see seed.ts).
import { db } from "@/lib/db";

export async function dumpTenants(...tenantIds: string[]): Promise<string> {
  const where = { tenantId: { in: tenantIds } };
  const rows = {
    tenants: await db.tenant.findMany({ where: { id: { in: tenantIds } }, orderBy: { id: "asc" }, omit: { configVersion: true } }),
    members: await db.membership.findMany({ where, orderBy: { id: "asc" }, include: { user: true } }),
    apps: await db.application.findMany({ where, orderBy: { id: "asc" } }),
    secrets: await db.clientSecret.findMany({ where, orderBy: { id: "asc" }, omit: { lastUsedAt: true } }),
    apis: await db.api.findMany({ where, orderBy: { id: "asc" } }),
    scopes: await db.scope.findMany({ where, orderBy: { id: "asc" } }),
    grants: await db.grant.findMany({ where, orderBy: { id: "asc" }, include: { scopes: { orderBy: { scopeId: "asc" } } } }),
    keys: await db.signingKey.findMany({ where, orderBy: { id: "asc" } }),
    audit: await db.auditEvent.findMany({ where, orderBy: { id: "asc" } }),
    revoked: await db.revokedToken.findMany({ where, orderBy: { jti: "asc" } }),
  };
  return JSON.stringify(rows);
}
