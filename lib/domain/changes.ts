// Configuration versions per tenant. Every change to applications, secrets,
// APIs, scopes, grants or keys bumps its tenant's version, and the token
// endpoint's in-process cache drops what it holds for that tenant. The map
// lives on globalThis because server.ts and Next's bundle load separate copies
// of this module in one process. The processes of one `npm start` (the
// protocol server, its Next.js process, cluster workers) are told at once over
// their IPC channels (lib/runtime/config-relay.ts); others learn of the change
// from Tenant.configVersion (checked when their cache entry is old) and, on
// PostgreSQL, from NOTIFY.
import { db } from "@/lib/db";
import { withRetries } from "@/lib/retry";
import { logUnexpected } from "@/lib/unexpected";

/** After a failed bump, attempts again after these waits (15 s in all). */
const BUMP_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];

type ChangeListener = (tenantId: string) => void;

const state = globalThis as unknown as { __grantryConfigVersions?: Map<string, number>; __grantryPendingBumps?: Set<Promise<unknown>>; __grantryChangeListeners?: Set<ChangeListener> };
const versions: Map<string, number> = (state.__grantryConfigVersions ??= new Map());
const pending: Set<Promise<unknown>> = (state.__grantryPendingBumps ??= new Set());
const listeners: Set<ChangeListener> = (state.__grantryChangeListeners ??= new Set());

/** Calls `listener` with the tenant id of every change made in this process. */
export function onTenantChanged(listener: ChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function markTenantChanged(tenantId: string): void {
  versions.set(tenantId, (versions.get(tenantId) ?? 0) + 1);
  for (const listener of listeners) listener(tenantId);
  // Other processes on PostgreSQL hear this at once (lib/oauth/listen.ts); the
  // embedded server does not relay NOTIFY between connections, so there they
  // see the new configVersion when their entry's TTL runs out.
  // Retried: a lost bump would leave other instances on the old configuration
  // (a revoked secret still accepted) until their 10-minute full reload.
  const bump = withRetries(
    () => db.$executeRaw`
      WITH bumped AS (UPDATE "Tenant" SET "configVersion" = "configVersion" + 1 WHERE "id" = ${tenantId})
      SELECT pg_notify('grantry_config', ${tenantId})`,
    BUMP_RETRY_DELAYS_MS,
  ).catch((error: unknown) => logUnexpected("configuration version bump", error));
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
