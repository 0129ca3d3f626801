// Bearer tokens on the Management API: an RFC 9068 access token of this
// tenant, for this tenant's Management API, from a client that may still
// call it. Every failure is 401 invalid_token (RFC 6750 §3.1) with a
// WWW-Authenticate challenge; the scope check (403) is the dispatcher's.
import { clientStanding, isRevoked } from "@/lib/domain/token-liveness";
import { MAX_TOKEN_LENGTH, verifyAccessToken } from "@/lib/oauth/token-verify";
import { DomainError } from "@/lib/domain/errors";
import type { Caller, TenantRef } from "./route";

/** RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** A challenge per RFC 6750 §3; descriptions are plain ASCII without quotes or backslashes (§3). */
export function challenge(realm: string, error: string, description: string, scope?: string): string {
  const clean = (v: string) => v.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "");
  const parts = [`realm="${clean(realm)}"`, `error="${error}"`, `error_description="${clean(description)}"`];
  if (scope) parts.push(`scope="${clean(scope)}"`);
  return `Bearer ${parts.join(", ")}`;
}

export function invalidToken(realm: string, description: string): DomainError {
  return new DomainError("invalid_token", description, {}, { "www-authenticate": challenge(realm, "invalid_token", description) });
}

/** The client behind `authorization`, or an DomainError (401) saying why not. */
export async function authenticateBearer(authorization: string | undefined, tenant: TenantRef): Promise<Caller> {
  const realm = `${tenant.issuer}/api/v1`;
  // RFC 6750 §3.1 lets a server omit the error code when no credentials were
  // sent; Grantry always sends invalid_token so that every 401 reads the same.
  if (!authorization) throw invalidToken(realm, "An access token is required: Authorization: Bearer <token>");
  const token = BEARER.exec(authorization.trim())?.[1];
  if (!token || token.length > MAX_TOKEN_LENGTH) throw invalidToken(realm, "The Authorization header must be: Bearer <access token>");
  // The Management API's audience is the tenant's issuer.
  const { claims, reason } = await verifyAccessToken(token, tenant, tenant.issuer);
  if (!claims) throw invalidToken(realm, reason);
  const { client_id: clientId, jti, scope } = claims;
  // Read from the database on every call, so the kill switch (disable the app, delete the grant,
  // revoke the token) takes effect on the next request.
  const access = await clientStanding(tenant.id, clientId, { kind: "management" });
  if (!access) throw invalidToken(realm, "The access token's client no longer exists");
  if (await isRevoked(tenant.id, jti)) throw invalidToken(realm, "The access token has been revoked");
  if (!access.grantedScopes) throw invalidToken(realm, "The client is disabled or no longer holds a grant to the Grantry Management API");
  // A scope removed from the grant stops working at once, not when the token expires.
  const granted = new Set(access.grantedScopes);
  const scopes = new Set(scope.split(" ").filter((s) => s && granted.has(s)));
  return { applicationId: access.applicationId, clientId, name: access.name, scopes, jti };
}
