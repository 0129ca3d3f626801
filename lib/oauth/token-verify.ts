// The one check of this tenant's access tokens, for introspection, revocation
// and the Management API: signature by a published key (the protocol's JWKS
// cache, lib/oauth/cache.ts), issuer, `typ: at+jwt`, the algorithms Grantry
// signs with, expiry, and the claims Grantry always sets.
// @see RFC 9068 §4 (validating JWT access tokens)
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWK, type JWTPayload } from "jose";
import { ACCESS_TOKEN_TYP, SIGNING_ALGORITHMS } from "./access-token";
import { tenantJwks } from "./cache";

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

export type Verified = { claims: AccessTokenClaims; reason?: undefined } | { claims: null; reason: string };

/** Far above any token Grantry signs; anything longer is not ours. */
export const MAX_TOKEN_LENGTH = 8192;

/** One jose key set per loaded JWKS: the cache hands out the same array until it reloads. */
const keySets = new WeakMap<JWK[], ReturnType<typeof createLocalJWKSet>>();

function keySet(keys: JWK[]) {
  let set = keySets.get(keys);
  if (!set) keySets.set(keys, (set = createLocalJWKSet({ keys })));
  return set;
}

type Tenant = { id: string; issuer: string };

async function verifyWith(token: string, tenant: Tenant, audience: string | undefined, fresh: boolean): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, keySet(await tenantJwks(tenant.id, fresh)), {
    issuer: tenant.issuer,
    ...(audience ? { audience } : {}),
    typ: ACCESS_TOKEN_TYP,
    algorithms: [...SIGNING_ALGORITHMS],
    requiredClaims: ["exp", "iat", "jti", "sub", "aud", "client_id"],
  });
  return payload;
}

/** Why jose refused a token, in words a script's author can act on. */
function describe(error: unknown, audience: string | undefined): string {
  if (error instanceof joseErrors.JWTExpired) return "The access token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "The access token was issued by another issuer or tenant";
    if (error.claim === "aud") return `The access token's audience must be ${audience}`;
    if (error.claim === "typ") return "Not an access token (typ must be at+jwt)";
    return `The access token's ${error.claim} claim is invalid`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey)
    return "The access token's signature is not valid for this tenant";
  return "The access token is malformed";
}

/**
 * The token's claims when it is a valid, unexpired access token of this
 * tenant (for `audience`, when given); otherwise why not.
 */
export async function verifyAccessToken(token: string, tenant: Tenant, audience?: string): Promise<Verified> {
  if (token.length > MAX_TOKEN_LENGTH) return { claims: null, reason: "The access token is malformed" };
  let payload: JWTPayload;
  try {
    try {
      payload = await verifyWith(token, tenant, audience, false);
    } catch (error) {
      // A kid we do not know may come from a rotation in another process: look once more, uncached
      // (the cache limits such reloads to one a second per tenant).
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      payload = await verifyWith(token, tenant, audience, true);
    }
  } catch (error) {
    return { claims: null, reason: describe(error, audience) };
  }
  const { aud, client_id, jti, scope } = payload;
  if (typeof aud !== "string" || typeof client_id !== "string" || typeof jti !== "string" || (scope !== undefined && typeof scope !== "string")) {
    return { claims: null, reason: "The access token is malformed" };
  }
  return { claims: { ...payload, scope: scope ?? "" } as AccessTokenClaims };
}
