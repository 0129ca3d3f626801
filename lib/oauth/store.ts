// The reads behind the token path's cache: one snapshot of a tenant's
// clients, APIs and grants, its current signing keys, and its tenant row.
// lib/oauth touches the database only here, in live-checks.ts (introspection
// and revocation) and in usage.ts (batched counters).
import { importPKCS8, type CryptoKey } from "jose";
import { db } from "@/lib/db";
import { openSecret } from "@/lib/crypto";
import { ensureCurrentKey } from "@/lib/domain/keys";
import type { SigningAlgorithm } from "@/lib/domain/schemas";
import { quotaPolicy, type QuotaPolicy } from "@/lib/quota";

export type TenantRef = { id: string; slug: string };

export type CachedSecret = { id: string; hash: string; expiresAt: number | null };
export type CachedClient = { applicationId: string; clientId: string; enabled: boolean; secrets: CachedSecret[]; quota: QuotaPolicy | null };
export type CachedApi = { id: string; name: string; identifier: string; kind: "custom" | "management"; tokenLifetime: number; signingAlg: SigningAlgorithm };
export type CachedGrant = { id: string; expiresAt: number | null; scopes: string[]; quota: QuotaPolicy | null };

export type TenantSnapshot = {
  /** Tenant.configVersion when the load began: a later change bumps it. */
  configVersion: number;
  clients: Map<string, CachedClient>;
  /** Custom APIs by identifier; the Management API is kept apart (its audience is the issuer). */
  apis: Map<string, CachedApi>;
  managementApi: CachedApi | null;
  /** By `${applicationId} ${apiId}`. */
  grants: Map<string, CachedGrant>;
  scopeNames: string[];
};

export type SigningKey = { kid: string; alg: SigningAlgorithm; privateKey: CryptoKey };

export const grantKey = (applicationId: string, apiId: string) => `${applicationId} ${apiId}`;

export async function loadTenant(slug: string): Promise<TenantRef | null> {
  return await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
}

/** The tenant's configuration version, or null when the tenant is gone: one primary-key read. */
export async function loadConfigVersion(tenantId: string): Promise<number | null> {
  return (await db.tenant.findUnique({ where: { id: tenantId }, select: { configVersion: true } }))?.configVersion ?? null;
}

/** Everything the token endpoint needs about a tenant, in three indexed queries. */
export async function loadTenantSnapshot(tenantId: string): Promise<TenantSnapshot> {
  // Read first: a change made during the load then shows as a newer version at the next check.
  const configVersion = (await loadConfigVersion(tenantId)) ?? -1;
  const [applications, apis, grants] = await Promise.all([
    db.application.findMany({
      where: { tenantId },
      select: { id: true, clientId: true, enabled: true, quotaPerHour: true, quotaPerDay: true, quotaMode: true, secrets: { where: { revokedAt: null }, select: { id: true, hash: true, expiresAt: true } } },
    }),
    db.api.findMany({
      where: { tenantId },
      select: { id: true, name: true, identifier: true, kind: true, tokenLifetime: true, signingAlg: true, scopes: { select: { name: true } } },
    }),
    db.grant.findMany({
      where: { tenantId },
      select: { id: true, applicationId: true, apiId: true, expiresAt: true, quotaPerHour: true, quotaPerDay: true, quotaMode: true, scopes: { select: { scope: { select: { name: true } } } } },
    }),
  ]);
  const snapshot: TenantSnapshot = { configVersion, clients: new Map(), apis: new Map(), managementApi: null, grants: new Map(), scopeNames: [] };
  for (const app of applications) {
    const secrets = app.secrets.map((s) => ({ id: s.id, hash: s.hash, expiresAt: s.expiresAt?.getTime() ?? null }));
    const quota = quotaPolicy(app.quotaPerHour, app.quotaPerDay, app.quotaMode);
    snapshot.clients.set(app.clientId, { applicationId: app.id, clientId: app.clientId, enabled: app.enabled, secrets, quota });
  }
  const scopeNames = new Set<string>();
  for (const { scopes, ...api } of apis) {
    if (api.kind === "management") snapshot.managementApi = api;
    else snapshot.apis.set(api.identifier, api);
    for (const s of scopes) scopeNames.add(s.name);
  }
  for (const g of grants) {
    snapshot.grants.set(grantKey(g.applicationId, g.apiId), {
      id: g.id,
      expiresAt: g.expiresAt?.getTime() ?? null,
      scopes: g.scopes.map((s) => s.scope.name).sort(),
      quota: quotaPolicy(g.quotaPerHour, g.quotaPerDay, g.quotaMode),
    });
  }
  snapshot.scopeNames = [...scopeNames].sort();
  return snapshot;
}

// Decrypted keys by kid: a kid's material never changes, so this outlives snapshots.
const state = globalThis as unknown as { __grantryPrivateKeys?: Map<string, Promise<CryptoKey>> };
const privateKeys: Map<string, Promise<CryptoKey>> = (state.__grantryPrivateKeys ??= new Map());

/** The tenant's current private key per algorithm, decrypting only kids not seen before. */
export async function loadSigningKeys(tenantId: string): Promise<Map<SigningAlgorithm, SigningKey>> {
  const rows = await db.signingKey.findMany({
    where: { tenantId, state: "current" },
    orderBy: { createdAt: "desc" },
    select: { kid: true, alg: true, privateKeyEnc: true },
  });
  const keys = new Map<SigningAlgorithm, SigningKey>();
  for (const row of rows) {
    if (keys.has(row.alg)) continue;
    let key = privateKeys.get(row.kid);
    if (!key) {
      key = importPKCS8(openSecret(row.privateKeyEnc), row.alg);
      privateKeys.set(row.kid, key);
      key.catch(() => privateKeys.delete(row.kid));
    }
    keys.set(row.alg, { kid: row.kid, alg: row.alg, privateKey: await key });
  }
  return keys;
}

const creating = new Map<string, Promise<void>>();

/** Creates the tenant's current key for `alg` when an API asks for an algorithm it has no key for yet (once, however many ask). */
export function createMissingKey(tenantId: string, alg: SigningAlgorithm): Promise<void> {
  const id = `${tenantId} ${alg}`;
  let pending = creating.get(id);
  if (!pending) {
    pending = ensureCurrentKey(db, tenantId, alg).finally(() => creating.delete(id));
    creating.set(id, pending);
  }
  return pending;
}
