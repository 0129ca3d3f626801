// Configuration versions per tenant. Every change to applications, secrets,
// APIs, scopes, grants or keys bumps its tenant's version, and the token
// endpoint's in-process cache drops what it holds for that tenant. The map
// lives on globalThis because server.ts and Next's bundle load separate copies
// of this module in one process. Other processes learn of the change from
// Tenant.configVersion (checked when their cache entry is old) and, on
// PostgreSQL, at once from NOTIFY.
import { db } from "@/lib/db";

const state = globalThis as unknown as { __grantryConfigVersions?: Map<string, number>; __grantryPendingBumps?: Set<Promise<unknown>> };
const versions: Map<string, number> = (state.__grantryConfigVersions ??= new Map());
const pending: Set<Promise<unknown>> = (state.__grantryPendingBumps ??= new Set());

export function markTenantChanged(tenantId: string): void {
  versions.set(tenantId, (versions.get(tenantId) ?? 0) + 1);
  // Other processes on PostgreSQL hear this at once (lib/oauth/listen.ts); the
  // embedded server does not relay NOTIFY between connections, so there they
  // see the new configVersion when their entry's TTL runs out.
  const bump = db.$executeRaw`
    WITH bumped AS (UPDATE "Tenant" SET "configVersion" = "configVersion" + 1 WHERE "id" = ${tenantId})
    SELECT pg_notify('grantry_config', ${tenantId})`.catch(() => {});
  pending.add(bump);
  void bump.finally(() => pending.delete(bump));
}

/** Waits for the version bumps still in flight: a short-lived process (the CLI) calls it before disconnecting. */
export async function settleChanges(): Promise<void> {
  await Promise.all([...pending]);
}

export function tenantConfigVersion(tenantId: string): number {
  return versions.get(tenantId) ?? 0;
}
