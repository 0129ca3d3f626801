// Each tenant's published keys (current + previous) as a jose key set, for
// the Management API's bearer check. The keys come from the protocol's own
// cache (lib/oauth/cache.ts), so the token endpoint, the JWKS and the
// Management API share one JWKS cache, whose reloads for an unknown kid are
// limited to one a second per tenant and write nothing.
import { createLocalJWKSet, type JWK } from "jose";
import { tenantJwks } from "@/lib/oauth/cache";

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** One jose key set per loaded JWKS: the cache hands out the same array until it reloads. */
const keySets = new WeakMap<JWK[], KeySet>();

export async function tenantKeySet(tenantId: string, fresh: boolean): Promise<KeySet> {
  const jwks = await tenantJwks(tenantId, fresh);
  let keySet = keySets.get(jwks);
  if (!keySet) {
    keySet = createLocalJWKSet({ keys: jwks });
    keySets.set(jwks, keySet);
  }
  return keySet;
}
