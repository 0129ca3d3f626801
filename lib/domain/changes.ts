// Configuration changes per tenant. Tenant.configVersion is the one truth
// about whether a tenant's configuration (applications, secrets, APIs,
// scopes, grants, keys) changed: every such change runs in mutateTenant(),
// whose transaction bumps it together with the change, so the bump cannot be
// lost or land without the change. Everything else is a hint to check sooner:
// the in-process counter (this process's caches at once), IPC to the other
// processes of one `npm start` (lib/runtime/config-relay.ts), and NOTIFY on
// PostgreSQL (lib/oauth/listen.ts; delivered on commit). Without a hint a
// cache sees the new version when its entry's TTL runs out.
import { db, type Tx } from "@/lib/db";

type ChangeListener = (tenantId: string) => void;

// On globalThis: server.ts and Next's bundle load separate copies of this module in one process.
const state = globalThis as unknown as { __grantryConfigVersions?: Map<string, number>; __grantryChangeListeners?: Set<ChangeListener> };
const versions: Map<string, number> = (state.__grantryConfigVersions ??= new Map());
const listeners: Set<ChangeListener> = (state.__grantryChangeListeners ??= new Set());

/** Calls `listener` with the tenant id of every change made in this process. */
export function onTenantChanged(listener: ChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Runs `change` in a transaction that first bumps the tenant's configVersion
 * (and NOTIFYs, delivered on commit), then tells this process and its peers.
 * The bump comes first because it locks the tenant's row: changes to one
 * tenant run one at a time and always take that lock before any other, so
 * count-then-create checks (caps) hold and two changes cannot deadlock.
 */
export async function mutateTenant<T>(tenantId: string, change: (tx: Tx) => Promise<T>, options?: { timeoutMs?: number }): Promise<T> {
  const result = await db.$transaction(
    async (tx) => {
      await bumpConfigVersion(tx, tenantId);
      return change(tx);
    },
    options?.timeoutMs ? { timeout: options.timeoutMs } : undefined,
  );
  announceChange(tenantId);
  return result;
}

/** The bump alone, inside a transaction the caller runs (several tenants at once); announceChange after it commits. */
export async function bumpConfigVersion(tx: Tx, tenantId: string): Promise<void> {
  await tx.$executeRaw`
    WITH bumped AS (UPDATE "Tenant" SET "configVersion" = "configVersion" + 1 WHERE "id" = ${tenantId})
    SELECT pg_notify('grantry_config', ${tenantId})`;
}

/** Tells this process's caches and its peers that the tenant changed (after the commit). */
export function announceChange(tenantId: string): void {
  versions.set(tenantId, (versions.get(tenantId) ?? 0) + 1);
  for (const listener of listeners) listener(tenantId);
}

/** Changes made in this process so far: the cache reloads an entry whose count moved. */
export function tenantConfigVersion(tenantId: string): number {
  return versions.get(tenantId) ?? 0;
}
