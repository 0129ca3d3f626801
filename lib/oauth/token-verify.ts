// Verifies one of this tenant's access tokens: signature by a published key,
// issuer, `typ: at+jwt`, expiry, and the claims Grantry always sets.
// @see RFC 9068 §4 (validating JWT access tokens)
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from "jose";
import { ACCESS_TOKEN_TYP, SIGNING_ALGORITHMS } from "./access-token";
import { tenantJwks } from "./cache";
import type { TenantContext } from "./token-endpoint";

export type AccessTokenClaims = JWTPayload & {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
};

/** Far above any token Grantry signs; anything longer is not ours. */
const MAX_TOKEN_LENGTH = 8192;

const keySets = new WeakMap<JWK[], ReturnType<typeof createLocalJWKSet>>();

function keySet(keys: JWK[]) {
  let set = keySets.get(keys);
  if (!set) keySets.set(keys, (set = createLocalJWKSet({ keys })));
  return set;
}

async function verifyWith(token: string, tenant: TenantContext, fresh: boolean): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, keySet(await tenantJwks(tenant.id, fresh)), {
    issuer: tenant.issuer,
    typ: ACCESS_TOKEN_TYP,
    algorithms: [...SIGNING_ALGORITHMS],
    requiredClaims: ["exp", "iat", "jti", "sub", "aud"],
  });
  return payload;
}

/** The token's claims when it is a valid, unexpired access token of this tenant; otherwise null. */
export async function verifyAccessToken(token: string, tenant: TenantContext): Promise<AccessTokenClaims | null> {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  let payload: JWTPayload;
  try {
    payload = await verifyWith(token, tenant, false);
  } catch (error) {
    // A kid we do not know may come from a rotation in another process: look once more, uncached.
    if ((error as { code?: string }).code !== "ERR_JWKS_NO_MATCHING_KEY") return null;
    try {
      payload = await verifyWith(token, tenant, true);
    } catch {
      return null;
    }
  }
  const { aud, client_id, scope } = payload;
  if (typeof aud !== "string" || typeof client_id !== "string" || (scope !== undefined && typeof scope !== "string")) return null;
  return { ...payload, scope: scope ?? "" } as AccessTokenClaims;
}
