// Bearer tokens on the Management API: an RFC 9068 access token of this
// tenant, for this tenant's Management API, from a client that may still
// call it. Every failure is 401 invalid_token (RFC 6750 §3.1) with a
// WWW-Authenticate challenge; the scope check (403) is the dispatcher's.
import { errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { findManagementAccess } from "@/lib/domain/management-access";
import { ApiError } from "@/lib/management/errors";
import type { Caller, TenantRef } from "@/lib/management/route";
import { tenantKeySet } from "./jwks-cache";

const ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"];
/** Far above any token Grantry signs; anything longer is not ours. */
const MAX_TOKEN_LENGTH = 8192;
/** RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** A challenge per RFC 6750 §3; descriptions are plain ASCII without quotes or backslashes (§3). */
export function challenge(realm: string, error: string, description: string, scope?: string): string {
  const clean = (v: string) => v.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "");
  const parts = [`realm="${clean(realm)}"`, `error="${error}"`, `error_description="${clean(description)}"`];
  if (scope) parts.push(`scope="${clean(scope)}"`);
  return `Bearer ${parts.join(", ")}`;
}

export function invalidToken(realm: string, description: string): ApiError {
  return new ApiError("invalid_token", description, {}, { "www-authenticate": challenge(realm, "invalid_token", description) });
}

/** Why jose refused a token, in words a script's author can act on. */
function describe(error: unknown, issuer: string): string {
  if (error instanceof joseErrors.JWTExpired) return "The access token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "The access token was issued by another issuer or tenant";
    if (error.claim === "aud") return `The access token's audience must be this tenant's Management API (${issuer})`;
    if (error.claim === "typ") return "Not an access token (typ must be at+jwt)";
    return `The access token's ${error.claim} claim is invalid`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) return "The access token's signature is not valid for this tenant";
  return "The access token is malformed";
}

async function verify(token: string, tenant: TenantRef): Promise<JWTPayload> {
  const options = { issuer: tenant.issuer, audience: tenant.issuer, typ: "at+jwt", algorithms: ALGORITHMS, requiredClaims: ["exp", "iat", "jti", "client_id"] };
  try {
    return (await jwtVerify(token, await tenantKeySet(tenant.id, false), options)).payload;
  } catch (error) {
    // An unknown kid may come from a rotation in another process: look once more, uncached.
    if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
    return (await jwtVerify(token, await tenantKeySet(tenant.id, true), options)).payload;
  }
}

/** The client behind `authorization`, or an ApiError (401) saying why not. */
export async function authenticateBearer(authorization: string | undefined, tenant: TenantRef): Promise<Caller> {
  const realm = `${tenant.issuer}/api/v1`;
  // RFC 6750 §3.1 lets a server omit the error code when no credentials were
  // sent; Grantry always sends invalid_token so that every 401 reads the same.
  if (!authorization) throw invalidToken(realm, "An access token is required: Authorization: Bearer <token>");
  const token = BEARER.exec(authorization.trim())?.[1];
  if (!token || token.length > MAX_TOKEN_LENGTH) throw invalidToken(realm, "The Authorization header must be: Bearer <access token>");
  let claims: JWTPayload;
  try {
    claims = await verify(token, tenant);
  } catch (error) {
    throw invalidToken(realm, describe(error, tenant.issuer));
  }
  const { client_id: clientId, jti, scope } = claims;
  if (typeof clientId !== "string" || typeof jti !== "string" || (scope !== undefined && typeof scope !== "string")) {
    throw invalidToken(realm, "The access token is malformed");
  }
  const access = await findManagementAccess(tenant.id, clientId, jti);
  if (!access) throw invalidToken(realm, "The access token's client no longer exists");
  if (access.revoked) throw invalidToken(realm, "The access token has been revoked");
  if (!access.grantedScopes) throw invalidToken(realm, "The client is disabled or no longer holds a grant to the Grantry Management API");
  // A scope removed from the grant stops working at once, not when the token expires.
  const granted = new Set(access.grantedScopes);
  const scopes = new Set((scope ?? "").split(" ").filter((s) => s && granted.has(s)));
  return { applicationId: access.applicationId, clientId, name: access.name, scopes, jti };
}
