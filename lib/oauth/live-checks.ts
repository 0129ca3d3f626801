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
  const api = claims.aud === issuer ? { kind: "management" as const } : { identifier: claims.aud, kind: "custom" as const };
  const [grant, revoked] = await Promise.all([
    db.grant.findFirst({
      where: { tenantId, application: { tenantId, clientId: claims.client_id, enabled: true }, api: { tenantId, ...api } },
      select: { expiresAt: true },
    }),
    db.revokedToken.findUnique({ where: { jti: claims.jti }, select: { tenantId: true } }),
  ]);
  if (!grant || (grant.expiresAt && grant.expiresAt <= now)) return false;
  return !revoked;
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
