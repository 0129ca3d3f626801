// Configuration versions per tenant. Every change to applications, secrets,
// APIs, scopes, grants or keys bumps its tenant's version, and the token
// endpoint's in-process cache drops what it holds for that tenant. The map
// lives on globalThis because server.ts and Next's bundle load separate copies
// of this module in one process.
import { db } from "@/lib/db";

const state = globalThis as unknown as { __grantryConfigVersions?: Map<string, number> };
const versions: Map<string, number> = (state.__grantryConfigVersions ??= new Map());

export function markTenantChanged(tenantId: string): void {
  versions.set(tenantId, (versions.get(tenantId) ?? 0) + 1);
  // Other processes on PostgreSQL hear this at once (lib/oauth/listen.ts); the
  // embedded server does not relay NOTIFY between connections, so there the TTL applies.
  void db.$executeRaw`SELECT pg_notify('grantry_config', ${tenantId})`.catch(() => {});
}

export function tenantConfigVersion(tenantId: string): number {
  return versions.get(tenantId) ?? 0;
}
