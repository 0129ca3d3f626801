// What introspection and revocation read straight from the database rather
// than the cache: they are not the hot path, and an operator who disables an
// application or deletes a grant expects introspection to agree at once, in
// every process. Every lookup is by primary key or an indexed unique pair.
import { db } from "@/lib/db";
import type { AccessTokenClaims } from "./token-verify";

/**
 * Whether a verified token is still backed by live configuration: its client
 * exists in the tenant and is enabled, holds an unexpired grant for the
 * token's audience, and the token's jti has not been revoked.
 */
export async function isTokenLive(tenantId: string, issuer: string, claims: AccessTokenClaims, now = new Date()): Promise<boolean> {
  const [granted, revoked] = await Promise.all([
    holdsLiveGrant(tenantId, issuer, claims.client_id, claims.aud, now),
    db.revokedToken.findUnique({ where: { jti: claims.jti }, select: { tenantId: true } }),
  ]);
  return granted && !revoked;
}

/**
 * Whether `clientId` may learn about a token of `claims`: it is the token's
 * own client, or a client granted the token's audience (the API's resource
 * server). Anyone else — any other client of the tenant — is told the token
 * is not active, so client credentials alone are no oracle for other APIs' tokens.
 * @see RFC 7662 §4 (the server decides what a caller may see)
 */
export async function mayIntrospect(tenantId: string, issuer: string, clientId: string, claims: AccessTokenClaims, now = new Date()): Promise<boolean> {
  return clientId === claims.client_id || holdsLiveGrant(tenantId, issuer, clientId, claims.aud, now);
}

/** Whether `clientId` is enabled in the tenant and holds an unexpired grant for the API of audience `aud`. */
async function holdsLiveGrant(tenantId: string, issuer: string, clientId: string, aud: string, now: Date): Promise<boolean> {
  const api = aud === issuer ? { kind: "management" as const } : { identifier: aud, kind: "custom" as const };
  const grant = await db.grant.findFirst({
    where: { tenantId, application: { tenantId, clientId, enabled: true }, api: { tenantId, ...api } },
    select: { expiresAt: true },
  });
  return !!grant && (!grant.expiresAt || grant.expiresAt > now);
}

let lastCleanup = 0;

/** Records an RFC 7009 revocation; rows are kept only until the token would have expired anyway. */
export async function recordRevocation(tenantId: string, jti: string, expiresAt: Date): Promise<void> {
  await db.revokedToken.createMany({ data: [{ jti, tenantId, expiresAt }], skipDuplicates: true });
  if (Date.now() - lastCleanup > 3_600_000) {
    lastCleanup = Date.now();
    await db.revokedToken.deleteMany({ where: { expiresAt: { lt: new Date() } } }).catch(() => {});
  }
}
