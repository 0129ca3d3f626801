// Introspection's two questions about a verified token, answered from the
// database (lib/domain/token-liveness.ts) rather than the token path's cache.
import { clientStanding, isRevoked, type ApiRef } from "@/lib/domain/token-liveness";
import type { AccessTokenClaims } from "./token-verify";

/** The API a token's audience names: the issuer is the tenant's Management API. */
function apiOf(issuer: string, aud: string): ApiRef {
  return aud === issuer ? { kind: "management" } : { kind: "custom", identifier: aud };
}

/** Whether `clientId` is enabled in the tenant and holds an unexpired grant for the API of audience `aud`. */
async function holdsLiveGrant(tenantId: string, issuer: string, clientId: string, aud: string): Promise<boolean> {
  return !!(await clientStanding(tenantId, clientId, apiOf(issuer, aud)))?.grantedScopes;
}

/**
 * Whether a verified token is still backed by live configuration: its client
 * exists in the tenant and is enabled, holds an unexpired grant for the
 * token's audience, and the token's jti has not been revoked.
 */
export async function isTokenLive(tenantId: string, issuer: string, claims: AccessTokenClaims): Promise<boolean> {
  // One query after the other, as everywhere on the embedded database: pglite-socket
  // serves one connection at a time, so running them in parallel gains nothing there.
  return (await holdsLiveGrant(tenantId, issuer, claims.client_id, claims.aud)) && !(await isRevoked(tenantId, claims.jti));
}

/**
 * Whether `clientId` may learn about a token of `claims`: it is the token's
 * own client, or a client granted the token's audience (the API's resource
 * server). Anyone else — any other client of the tenant — is told the token
 * is not active, so client credentials alone are no oracle for other APIs' tokens.
 * @see RFC 7662 §4 (the server decides what a caller may see)
 */
export async function mayIntrospect(tenantId: string, issuer: string, clientId: string, claims: AccessTokenClaims): Promise<boolean> {
  return clientId === claims.client_id || holdsLiveGrant(tenantId, issuer, clientId, claims.aud);
}
