// Per-tenant signing keys: one current key per algorithm in use; a rotated
// key stays published as `previous` until every token it signed has expired.
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from "jose";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { encryptSecret, openSecret, randomId } from "@/lib/crypto";
import { env } from "@/lib/env";
import { type Actor, recordAudit } from "./audit";
import { announceChange, bumpConfigVersion, mutateTenant } from "./changes";
import { assertRate } from "./limits";
import { type ListPage, type Paged, readList } from "./paging";
import { MAX_TOKEN_LIFETIME, type SigningAlgorithm } from "./schemas";

const RETIRE_LEEWAY_MS = 5 * 60 * 1000;

export type KeyMaterial = Awaited<ReturnType<typeof newKeyMaterial>>;

/** A new key pair, sealed. Slow for RSA: call it before opening a transaction. */
export async function newKeyMaterial(alg: SigningAlgorithm) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const kid = randomId(12);
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, publicJwk, privateKeyEnc: encryptSecret(await exportPKCS8(privateKey)) };
}

/**
 * Creates the current key for `alg` unless the tenant has one (with `prepared`
 * material when given), in the transaction of a tenant mutation (or of the
 * tenant's creation), which bumps the configuration version.
 */
export async function ensureCurrentKey(tx: Tx, tenantId: string, alg: SigningAlgorithm, prepared?: KeyMaterial): Promise<void> {
  const existing = await tx.signingKey.findFirst({ where: { tenantId, alg, state: "current" }, select: { id: true } });
  if (existing) return;
  const material = prepared ?? (await newKeyMaterial(alg));
  await tx.signingKey.create({ data: { tenantId, alg, state: "current", ...material } });
}

/**
 * The token path's fallback when an API signs with an algorithm the tenant has
 * no key for yet: creates one. The check is repeated under the tenant's lock,
 * so processes asking together create one key, not several.
 */
export async function createMissingCurrentKey(tenantId: string, alg: SigningAlgorithm): Promise<void> {
  if (await db.signingKey.findFirst({ where: { tenantId, alg, state: "current" }, select: { id: true } })) return;
  const material = await newKeyMaterial(alg); // slow for RSA: before the lock
  await mutateTenant(tenantId, (tx) => ensureCurrentKey(tx, tenantId, alg, material));
}

/** Replaces every current key with a new one; the old ones stay published until they can have signed nothing live. */
export async function rotateKeys(tenantId: string, actor: Actor, algs?: SigningAlgorithm[]) {
  // Each rotation costs a key generation (~360 ms of CPU for RSA) and grows the JWKS: a few an hour is plenty.
  await assertRate("keyRotationPerTenant", tenantId, "Signing keys were rotated too often (GRANTRY_RATE_LIMIT_KEY_ROTATION)");
  await retireExpiredKeys(tenantId);
  const current = await db.signingKey.findMany({ where: { tenantId, state: "current", ...(algs ? { alg: { in: algs } } : {}) } });
  const toRotate: SigningAlgorithm[] = algs ?? (current.length ? current.map((k) => k.alg) : ["RS256"]);
  const longest = await db.api.aggregate({ where: { tenantId }, _max: { tokenLifetime: true } });
  const lifetimeMs = Math.min(longest._max.tokenLifetime ?? 86400, MAX_TOKEN_LIFETIME) * 1000;
  const materials = await Promise.all(toRotate.map(async (alg) => ({ alg, ...(await newKeyMaterial(alg)) })));
  const now = new Date();
  await mutateTenant(tenantId, async (tx) => {
    await tx.signingKey.updateMany({
      where: { tenantId, state: "current", alg: { in: toRotate } },
      data: { state: "previous", rotatedAt: now, retireAfter: new Date(now.getTime() + lifetimeMs + RETIRE_LEEWAY_MS) },
    });
    for (const m of materials) await tx.signingKey.create({ data: { tenantId, state: "current", ...m } });
    await retireBeyondCap(tx, tenantId, toRotate);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "keys.rotate",
      targetType: "signing_key",
      before: { kids: current.map((k) => k.kid) },
      after: { kids: materials.map((m) => m.kid) },
    });
  });
  return listKeys(tenantId);
}

/**
 * Keeps at most GRANTRY_MAX_PREVIOUS_KEYS previous keys per algorithm, the
 * most recently rotated; older ones are retired now, before their tokens
 * expire (those tokens then stop verifying). Without a cap, repeated
 * rotations grow the published JWKS without bound for up to 30 days.
 */
async function retireBeyondCap(tx: Tx, tenantId: string, algs: SigningAlgorithm[]): Promise<void> {
  const keep = env().GRANTRY_MAX_PREVIOUS_KEYS;
  for (const alg of algs) {
    const excess = await tx.signingKey.findMany({
      where: { tenantId, alg, state: "previous" },
      orderBy: [{ rotatedAt: "desc" }, { createdAt: "desc" }],
      skip: keep,
      select: { id: true },
    });
    if (excess.length) await tx.signingKey.updateMany({ where: { id: { in: excess.map((k) => k.id) } }, data: { state: "retired" } });
  }
}

/** Moves previous keys whose tokens have all expired to `retired`. */
export async function retireExpiredKeys(tenantId: string): Promise<void> {
  const due = { tenantId, state: "previous" as const, retireAfter: { lt: new Date() } };
  // Usually none: a read (listKeys calls this) then costs no write and no version bump.
  if ((await db.signingKey.count({ where: due })) === 0) return;
  await mutateTenant(tenantId, (tx) => tx.signingKey.updateMany({ where: due, data: { state: "retired" } }));
}

const keySelect = { id: true, kid: true, alg: true, state: true, createdAt: true, rotatedAt: true, retireAfter: true, publicJwk: true } as const;
export type KeyRow = Prisma.SigningKeyGetPayload<{ select: typeof keySelect }>;

/** The tenant's signing keys (public parts), newest first: all of them, or one page and the total. */
export function listKeys(tenantId: string): Promise<KeyRow[]>;
export function listKeys(tenantId: string, page: ListPage): Promise<Paged<KeyRow>>;
export async function listKeys(tenantId: string, page?: ListPage): Promise<KeyRow[] | Paged<KeyRow>> {
  await retireExpiredKeys(tenantId);
  const where = { tenantId };
  const result = await readList(
    page,
    (window) => db.signingKey.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: keySelect, ...window }),
    () => db.signingKey.count({ where }),
  );
  return page ? result : result.items;
}

/** The JWKS: current and previous public keys. */
export async function publishedKeys(tenantId: string): Promise<JWK[]> {
  return (await publishedKeySet(tenantId)).keys;
}

/** The JWKS, and when its first previous key is due to retire (ms since the epoch; Infinity when none is). */
export async function publishedKeySet(tenantId: string): Promise<{ keys: JWK[]; retireAt: number }> {
  // A read only: a previous key past its retire time is left out here and marked
  // retired by listKeys and rotateKeys, so that a flood of requests with unknown
  // kids (each reloading the key set, at most once a second) writes nothing.
  const now = new Date();
  const keys = await db.signingKey.findMany({
    where: { tenantId, OR: [{ state: "current" }, { state: "previous", OR: [{ retireAfter: null }, { retireAfter: { gt: now } }] }] },
    orderBy: { createdAt: "desc" },
    select: { publicJwk: true, state: true, retireAfter: true },
  });
  let retireAt = Infinity;
  for (const k of keys) if (k.state === "previous" && k.retireAfter) retireAt = Math.min(retireAt, k.retireAfter.getTime());
  return { keys: keys.map((k) => k.publicJwk as JWK), retireAt };
}

export type SigningKeyMaterial = { kid: string; alg: SigningAlgorithm; privateKey: CryptoKey };

/** The current private keys of a tenant, decrypted (callers cache them). */
export async function loadCurrentSigningKeys(tenantId: string): Promise<SigningKeyMaterial[]> {
  const keys = await db.signingKey.findMany({ where: { tenantId, state: "current" } });
  return Promise.all(keys.map(async (k) => ({ kid: k.kid, alg: k.alg, privateKey: await importPKCS8(openSecret(k.privateKeyEnc), k.alg) })));
}

/**
 * Re-seals every private key under the current GRANTRY_ENCRYPTION_KEY (the old
 * key given as GRANTRY_ENCRYPTION_KEY_PREVIOUS). Returns how many changed.
 */
export async function reencryptSigningKeys(): Promise<{ total: number; reencrypted: number }> {
  const keys = await db.signingKey.findMany({ select: { id: true, privateKeyEnc: true, tenantId: true } });
  // Open everything first: a key that no configured key opens changes nothing.
  const resealed = keys.map((key) => ({ ...key, privateKeyEnc: encryptSecret(openSecret(key.privateKeyEnc)) }));
  const tenants = [...new Set(resealed.map((key) => key.tenantId))].sort(); // one lock order for every caller
  await db.$transaction(async (tx) => {
    for (const tenantId of tenants) await bumpConfigVersion(tx, tenantId);
    for (const key of resealed) await tx.signingKey.update({ where: { id: key.id }, data: { privateKeyEnc: key.privateKeyEnc } });
  });
  for (const tenantId of tenants) announceChange(tenantId);
  return { total: keys.length, reencrypted: resealed.length };
}

/**
 * Whether the stored signing keys open under the configured encryption key
 * (null when no key exists yet). Instance-wide, not per tenant: one encryption
 * key seals every tenant's keys, so the newest current key answers for all of
 * them. A wrong GRANTRY_ENCRYPTION_KEY otherwise shows only as every token
 * request failing.
 */
export async function signingKeysDecryptable(): Promise<boolean | null> {
  const key = await db.signingKey.findFirst({ where: { state: "current" }, orderBy: { createdAt: "desc" }, select: { privateKeyEnc: true } });
  if (!key) return null;
  try {
    openSecret(key.privateKeyEnc);
    return true;
  } catch {
    return false;
  }
}
