// What the Management API checks on every request, after the token's
// signature: the client still exists in this tenant and is enabled, holds a
// live grant to the Management API, and the token has not been revoked. Read
// from the database, not a cache, so the kill switch (disable the app, delete
// the grant, revoke the token) takes effect on the next request.
import { db } from "@/lib/db";

export type ManagementAccess = {
  applicationId: string;
  name: string;
  /** The scopes the grant holds now; null when the client may not call the Management API. */
  grantedScopes: string[] | null;
  revoked: boolean;
};

export async function findManagementAccess(tenantId: string, clientId: string, jti: string, now = new Date()): Promise<ManagementAccess | null> {
  // One query after the other: pglite-socket interleaves concurrent
  // extended-protocol batches (electric-sql/pglite#1046), which the embedded
  // database answered with 08P01 in tests.
  const revoked = await db.revokedToken.findUnique({ where: { jti }, select: { tenantId: true } });
  const app = await db.application.findFirst({
    where: { tenantId, clientId },
    select: {
      id: true,
      name: true,
      enabled: true,
      grants: {
        where: { tenantId, api: { tenantId, kind: "management" } },
        select: { expiresAt: true, scopes: { select: { scope: { select: { name: true } } } } },
      },
    },
  });
  if (!app) return null;
  const grant = app.grants[0];
  const live = app.enabled && grant && (!grant.expiresAt || grant.expiresAt > now);
  return {
    applicationId: app.id,
    name: app.name,
    grantedScopes: live ? grant.scopes.map((s) => s.scope.name) : null,
    revoked: revoked !== null,
  };
}
