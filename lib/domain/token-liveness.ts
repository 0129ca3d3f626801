// Whether a signed access token is still backed by live configuration, read
// from the database rather than a cache: the Management API (on every call),
// introspection and revocation are not the token path, and an operator who
// disables an application, deletes a grant or revokes a token expects them to
// agree at once, in every process. Every lookup is by primary key or an
// indexed unique pair.
import { db } from "@/lib/db";

/** Which API a token is for: the tenant's Management API, or a custom API by its identifier. */
export type ApiRef = { kind: "management" } | { kind: "custom"; identifier: string };

export type ClientStanding = {
  applicationId: string;
  name: string;
  /** The scopes the client's grant for the API holds now; null when it is disabled or holds no live grant. */
  grantedScopes: string[] | null;
};

/** The client's standing for tokens of `api`; null when no such client exists in the tenant. */
export async function clientStanding(tenantId: string, clientId: string, api: ApiRef, now = new Date()): Promise<ClientStanding | null> {
  const app = await db.application.findFirst({
    where: { tenantId, clientId },
    select: {
      id: true,
      name: true,
      enabled: true,
      grants: {
        where: { tenantId, api: { tenantId, ...api } },
        select: { expiresAt: true, scopes: { select: { scope: { select: { name: true } } } } },
      },
    },
  });
  if (!app) return null;
  const grant = app.grants[0];
  const live = app.enabled && grant && (!grant.expiresAt || grant.expiresAt > now);
  return { applicationId: app.id, name: app.name, grantedScopes: live ? grant.scopes.map((s) => s.scope.name) : null };
}

export async function isRevoked(tenantId: string, jti: string): Promise<boolean> {
  return (await db.revokedToken.findFirst({ where: { jti, tenantId }, select: { jti: true } })) !== null;
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
