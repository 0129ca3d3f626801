// Each tenant's published keys (current + previous) as a jose key set, kept
// briefly: until the tenant's configuration changes in this process, or for
// GRANTRY_CACHE_TTL_MS when it changes in another.
import { createLocalJWKSet } from "jose";
import { tenantConfigVersion } from "@/lib/domain/changes";
import { publishedKeys } from "@/lib/domain/keys";
import { env } from "@/lib/env";

type KeySet = ReturnType<typeof createLocalJWKSet>;
type Entry = { version: number; loadedAt: number; keySet: KeySet };

const cache = new Map<string, Entry>();
const MAX_TENANTS = 1000;

export async function tenantKeySet(tenantId: string, fresh: boolean): Promise<KeySet> {
  const version = tenantConfigVersion(tenantId);
  const hit = cache.get(tenantId);
  if (!fresh && hit && hit.version === version && Date.now() - hit.loadedAt < env().GRANTRY_CACHE_TTL_MS) return hit.keySet;
  const keySet = createLocalJWKSet({ keys: await publishedKeys(tenantId) });
  if (cache.size >= MAX_TENANTS) cache.clear();
  cache.set(tenantId, { version, loadedAt: Date.now(), keySet });
  return keySet;
}
