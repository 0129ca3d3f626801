// The reads behind the token path's cache: one snapshot of a tenant's
// clients, APIs and grants, its current signing keys, and its tenant row.
// lib/oauth touches the database only here and in usage.ts (batched counters):
// the token path's two reads; everything else goes through lib/domain.
import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { db } from "@/lib/db";
import { openSecret } from "@/lib/crypto";
import { createMissingCurrentKey } from "@/lib/domain/keys";
import type { AssertionAlgorithm, PublicJwk } from "@/lib/domain/public-keys";
import type { SigningAlgorithm } from "@/lib/domain/schemas";
import { quotaPolicy, type QuotaPolicy } from "@/lib/quota";
import { importSigningKey } from "./jws";
import { federatedByApplication, loadFederatedRows, type CachedFederatedCredential } from "./federation-store";

export type TenantRef = { id: string; slug: string };

/** `hash`: the SHA-256 digest itself (stored as hex), decoded once here rather than on every request. */
export type CachedSecret = { id: string; hash: Buffer; expiresAt: number | null };
/** One public key of a key set (`id` is the set's: its last-used time is the set's). */
export type CachedKey = { id: string; kid: string; alg: AssertionAlgorithm | undefined; key: KeyObject; expiresAt: number | null };
export type CachedKeyUri = { id: string; url: string; expiresAt: number | null };
export type CachedClient = {
  applicationId: string;
  clientId: string;
  enabled: boolean;
  secrets: CachedSecret[];
  keys: CachedKey[];
  /** Trusted external issuers (workload identity federation, lib/oauth/federation.ts). */
  federated: CachedFederatedCredential[];
  /** Key sets published at a URL, fetched when an assertion needs them (lib/oauth/remote-jwks.ts). */
  keyUris: CachedKeyUri[];
  assertionsOnly: boolean;
  /** True: token requests without a DPoP proof are refused. */
  dpopRequired: boolean;
  quota: QuotaPolicy | null;
};
export type CachedApi = {
  id: string;
  name: string;
  identifier: string;
  kind: "custom" | "management";
  tokenLifetime: number;
  signingAlg: SigningAlgorithm;
  /** True: its tokens are issued only bound to a DPoP key. */
  dpopRequired: boolean;
};
/** `scope`: `scopes` joined, the token's scope when the request names none. */
export type CachedGrant = { id: string; expiresAt: number | null; scopes: string[]; scope: string; quota: QuotaPolicy | null };

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

export type SigningKey = { kid: string; alg: SigningAlgorithm; privateKey: KeyObject };

export const grantKey = (applicationId: string, apiId: string) => `${applicationId} ${apiId}`;

export async function loadTenant(slug: string): Promise<TenantRef | null> {
  return await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true } });
}

/** The tenant's configuration version, or null when the tenant is gone: one primary-key read. */
export async function loadConfigVersion(tenantId: string): Promise<number | null> {
  return (await db.tenant.findUnique({ where: { id: tenantId }, select: { configVersion: true } }))?.configVersion ?? null;
}

type QuotaMode = Parameters<typeof quotaPolicy>[2];
type ApplicationRow = {
  id: string;
  clientId: string;
  enabled: boolean;
  assertionsOnly: boolean;
  dpopRequired: boolean;
  quotaPerHour: number | null;
  quotaPerDay: number | null;
  quotaMode: QuotaMode;
};
type SecretRow = { id: string; applicationId: string; hash: string; expiresAt: number | null };
type KeyRow = { id: string; applicationId: string; jwks: string; jwksUri: string | null; expiresAt: number | null };
type GrantRow = {
  id: string;
  applicationId: string;
  apiId: string;
  expiresAt: number | null;
  quotaPerHour: number | null;
  quotaPerDay: number | null;
  quotaMode: QuotaMode;
  scopes: string;
};

/**
 * Everything the token endpoint needs about a tenant. Flat SQL, one query per
 * table: Prisma's nested selects cost ~1 s of CPU per load at 10,000
 * applications and 20,000 grants (its relation stitching), and every process
 * reloads at least every 10 minutes (docs/decisions/0002-token-cache.md).
 * Times come back as epoch milliseconds; Prisma keeps DateTime as UTC in
 * timestamp(3).
 */
export async function loadTenantSnapshot(tenantId: string): Promise<TenantSnapshot> {
  // Read first: a change made during the load then shows as a newer version at the next check.
  const configVersion = (await loadConfigVersion(tenantId)) ?? -1;
  const federatedRows = loadFederatedRows(tenantId);
  const [applications, secrets, keys, apis, grants] = await Promise.all([
    db.$queryRaw<ApplicationRow[]>`
      SELECT "id", "clientId", "enabled", "assertionsOnly", "dpopRequired", "quotaPerHour", "quotaPerDay", "quotaMode"::text AS "quotaMode"
      FROM "Application" WHERE "tenantId" = ${tenantId}`,
    db.$queryRaw<SecretRow[]>`
      SELECT "id", "applicationId", "hash", (extract(epoch FROM "expiresAt" AT TIME ZONE 'UTC') * 1000)::float8 AS "expiresAt"
      FROM "ClientSecret" WHERE "tenantId" = ${tenantId} AND "revokedAt" IS NULL`,
    db.$queryRaw<KeyRow[]>`
      SELECT "id", "applicationId", "jwks", "jwksUri", (extract(epoch FROM "expiresAt" AT TIME ZONE 'UTC') * 1000)::float8 AS "expiresAt"
      FROM "ClientKey" WHERE "tenantId" = ${tenantId} AND "revokedAt" IS NULL`,
    db.api.findMany({
      where: { tenantId },
      select: {
        id: true,
        name: true,
        identifier: true,
        kind: true,
        tokenLifetime: true,
        signingAlg: true,
        dpopRequired: true,
        scopes: { select: { name: true } },
      },
    }),
    db.$queryRaw<GrantRow[]>`
      SELECT g."id", g."applicationId", g."apiId", (extract(epoch FROM g."expiresAt" AT TIME ZONE 'UTC') * 1000)::float8 AS "expiresAt",
             g."quotaPerHour", g."quotaPerDay", g."quotaMode"::text AS "quotaMode",
             coalesce(string_agg(s."name", ' ' ORDER BY s."name" COLLATE "C"), '') AS "scopes"
      FROM "Grant" g
      LEFT JOIN "GrantScope" gs ON gs."grantId" = g."id"
      LEFT JOIN "Scope" s ON s."id" = gs."scopeId"
      WHERE g."tenantId" = ${tenantId}
      GROUP BY g."id"`,
  ]);
  const snapshot: TenantSnapshot = { configVersion, clients: new Map(), apis: new Map(), managementApi: null, grants: new Map(), scopeNames: [] };
  const secretsOf = new Map<string, CachedSecret[]>();
  for (const s of secrets) {
    const secret = { id: s.id, hash: Buffer.from(s.hash, "hex"), expiresAt: s.expiresAt };
    const list = secretsOf.get(s.applicationId);
    if (list) list.push(secret);
    else secretsOf.set(s.applicationId, [secret]);
  }
  const keysOf = publicKeysByApplication(keys.filter((k) => k.jwksUri === null));
  const federatedOf = federatedByApplication(await federatedRows);
  const keyUrisOf = new Map<string, CachedKeyUri[]>();
  for (const k of keys)
    if (k.jwksUri !== null) keyUrisOf.set(k.applicationId, [...(keyUrisOf.get(k.applicationId) ?? []), { id: k.id, url: k.jwksUri, expiresAt: k.expiresAt }]);
  for (const app of applications) {
    snapshot.clients.set(app.clientId, {
      applicationId: app.id,
      clientId: app.clientId,
      enabled: app.enabled,
      secrets: secretsOf.get(app.id) ?? [],
      keys: keysOf.get(app.id) ?? [],
      federated: federatedOf.get(app.id) ?? [],
      keyUris: keyUrisOf.get(app.id) ?? [],
      assertionsOnly: app.assertionsOnly,
      dpopRequired: app.dpopRequired,
      quota: quotaPolicy(app.quotaPerHour, app.quotaPerDay, app.quotaMode),
    });
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
      expiresAt: g.expiresAt,
      // Sorted by string_agg in code-point order (COLLATE "C"), as Array.prototype.sort does.
      scopes: g.scopes === "" ? [] : g.scopes.split(" "),
      scope: g.scopes,
      quota: quotaPolicy(g.quotaPerHour, g.quotaPerDay, g.quotaMode),
    });
  }
  snapshot.scopeNames = [...scopeNames].sort();
  return snapshot;
}

/** Key sets imported once per load, so an assertion is checked against a ready KeyObject. */
function publicKeysByApplication(rows: KeyRow[]): Map<string, CachedKey[]> {
  const byApplication = new Map<string, CachedKey[]>();
  for (const row of rows) {
    const list = byApplication.get(row.applicationId) ?? [];
    // Validated when stored (lib/domain/public-keys.ts): a key that still fails to import is skipped, not fatal to the tenant.
    for (const jwk of (JSON.parse(row.jwks) as { keys: PublicJwk[] }).keys) {
      try {
        list.push({ id: row.id, kid: jwk.kid, alg: jwk.alg, key: createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }), expiresAt: row.expiresAt });
      } catch {
        continue;
      }
    }
    byApplication.set(row.applicationId, list);
  }
  return byApplication;
}

// Decrypted keys by kid: a kid's material never changes, so this outlives snapshots.
const state = globalThis as unknown as { __grantryPrivateKeys?: Map<string, KeyObject> };
const privateKeys: Map<string, KeyObject> = (state.__grantryPrivateKeys ??= new Map());

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
      key = importSigningKey(openSecret(row.privateKeyEnc), row.alg);
      privateKeys.set(row.kid, key);
    }
    keys.set(row.alg, { kid: row.kid, alg: row.alg, privateKey: key });
  }
  return keys;
}

const creating = new Map<string, Promise<void>>();

/** Creates the tenant's current key for `alg` when an API asks for an algorithm it has no key for yet (once, however many ask). */
export function createMissingKey(tenantId: string, alg: SigningAlgorithm): Promise<void> {
  const id = `${tenantId} ${alg}`;
  let pending = creating.get(id);
  if (!pending) {
    pending = createMissingCurrentKey(tenantId, alg).finally(() => creating.delete(id));
    creating.set(id, pending);
  }
  return pending;
}
