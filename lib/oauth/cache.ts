// The token path's in-process cache. Per tenant it holds one snapshot of
// clients (with live secret hashes), APIs and grants, the decrypted current
// keys, and the published JWKS. An entry is reloaded when the tenant's
// configuration version changes (domain code bumps it on every change in this
// process; LISTEN bumps the remote part for changes from other processes on
// PostgreSQL). Once older than GRANTRY_CACHE_TTL_MS it is checked against the
// database's Tenant.configVersion (one row) and reloaded only if that moved,
// so other processes' changes arrive on the embedded database too, without
// reloading every client every few seconds. Every client of a tenant is in
// memory, so unknown and known client ids cost the same.
import type { JWK } from "jose";
import { publishedKeySet } from "@/lib/domain/keys";
import { tenantConfigVersion } from "@/lib/domain/changes";
import type { SigningAlgorithm } from "@/lib/domain/schemas";
import { env } from "@/lib/env";
import { metrics, timed } from "@/lib/observability/metrics";
import {
  createMissingKey,
  loadConfigVersion,
  loadSigningKeys,
  loadTenant,
  loadTenantSnapshot,
  type SigningKey,
  type TenantRef,
  type TenantSnapshot,
} from "./store";
import { log } from "@/lib/observability/log";
import { ReadOutcomes } from "./read-outcomes";

/**
 * `at`: when last loaded or found unchanged; `fullAt`: when last loaded;
 * `revalidation`: the check that requests past the grace period share.
 */
type Slot<T> = { version: string; at: number; fullAt: number; value: Promise<T>; settled?: boolean; refreshing?: boolean; revalidation?: Promise<T> };

/** Whether a settled value still matches the database (its tenant's configVersion did not move). */
type Unchanged<T> = (value: T) => Promise<boolean>;

/**
 * However unchanged the version looks, an entry is reloaded in full this often:
 * a change made behind Grantry's back (SQL by hand, without bumping
 * Tenant.configVersion) still arrives. Not more often: at 10,000 applications
 * a full load costs the serving process ~250 ms of CPU and the embedded
 * database more, which showed as p99 spikes once a minute
 * (docs/decisions/0002-token-cache.md). Every change Grantry makes bumps the
 * version right after it (retried for 15 s if that fails:
 * lib/domain/changes.ts), so this is a safety net only.
 */
const FULL_RELOAD_MS = 10 * 60_000;

/**
 * An entry older than its TTL but unchanged in this process is served for up
 * to this many TTLs while one background load refreshes it: a TTL expiry must
 * not make every request wait for a full tenant reload (seconds at 10,000
 * applications, see docs/decisions/0002-token-cache.md). Past that (a process
 * that served no token for a while) a request waits for the database, so an
 * outage is not masked for long (it then answers 503): for the one-row version
 * check, and for a full reload only if that moved.
 */
const STALE_GRACE_TTLS = 4;

/**
 * Signing keys and the published JWKS, loaded together so a token never
 * carries a kid the JWKS lacks. `retireAt`: when the first previous key is due
 * to leave the JWKS (Infinity when none is).
 */
type Keyring = { configVersion: number; signing: Map<SigningAlgorithm, SigningKey>; jwks: JWK[]; retireAt: number };

type CacheState = {
  tenants: Map<string, Slot<TenantRef | null> & { miss?: boolean }>;
  snapshots: Map<string, Slot<TenantSnapshot>>;
  keyrings: Map<string, Slot<Keyring>>;
  /** Bumped by NOTIFY from other processes (lib/oauth/listen.ts). */
  remote: Map<string, number>;
  /** When a miss last triggered a background reload, per tenant. */
  missReloads: Map<string, number>;
};

// On globalThis: server.ts and Next's bundle load separate copies of this module.
const g = globalThis as unknown as { __grantryOAuthCache?: CacheState };
const cache: CacheState = (g.__grantryOAuthCache ??= {
  tenants: new Map(),
  snapshots: new Map(),
  keyrings: new Map(),
  remote: new Map(),
  missReloads: new Map(),
});

/** Unknown slugs are remembered briefly only, so a tenant created elsewhere shows up fast. */
const MISS_TTL_MS = 1000;
const MAX_TENANT_SLOTS = 10_000;

function versionOf(tenantId: string): string {
  return `${tenantConfigVersion(tenantId)}.${cache.remote.get(tenantId) ?? 0}`;
}

function ttl(): number {
  return env().GRANTRY_CACHE_TTL_MS;
}

/** The database took longer than the token path's budget: counted as unavailable (503 with Retry-After), not as a bug. */
export class DatabaseDeadline extends Error {
  readonly code = "P1008"; // Prisma's "operations timed out": lib/db-errors.ts counts it as unavailable
  constructor(ms: number) {
    super(`The database did not answer within ${ms} ms (GRANTRY_TOKEN_DB_DEADLINE_MS)`);
    this.name = "DatabaseDeadline";
  }
}

/**
 * What a request waits for, cut at the token path's budget: a frozen database
 * (a hung disk, a paused VM) must not hold requests for as long as it lasts.
 * The load itself goes on (the pool's query timeout ends it) and fills the
 * cache if it succeeds. Only requests that wait for the database pay for the
 * timer: cache hits never come here.
 */
function bounded<T>(value: Promise<T>): Promise<T> {
  const ms = env().GRANTRY_TOKEN_DB_DEADLINE_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseDeadline(ms)), ms);
  });
  return Promise.race([value, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Whether the configuration reads fail (background freshness checks, the
 * checks requests wait for, and loads), for one log line when it starts and
 * one when it ends (not one per request): meanwhile cached configurations are
 * served for up to STALE_GRACE_TTLS TTLs after their last good check.
 */
const reads = new ReadOutcomes();

/** The outcome of a freshness check, or of the load a background check started: counted (grantry_config_freshness_failures_total) and said. */
function freshnessChecked(read: number, error?: unknown): void {
  if (error !== undefined) metrics().freshnessFailures.inc();
  configReadsSaid(read, error);
}

/** The once-each log lines; loads that requests wait for call this alone (grantry_db_errors_total already counts their failures). */
function configReadsSaid(read: number, error?: unknown): void {
  const change = reads.finished(read, error !== undefined);
  if (change === "failing") {
    log().warn(
      `grantry: configuration freshness checks are failing (${error instanceof Error ? error.message.split("\n")[0] : String(error)}): ` +
        `cached configurations are served for up to ${(ttl() * STALE_GRACE_TTLS) / 1000} s after their last good check, then token requests answer 503`,
    );
  } else if (change === "recovered") log().info("grantry: configuration freshness checks succeed again");
}

/**
 * The cached value when fresh; when merely old, the same value while one
 * background check (and, if it changed, load) replaces it; else (changed
 * here, missing, or too old) one shared load that concurrent misses wait for,
 * each within the token path's database budget.
 */
function cached<T>(map: Map<string, Slot<T>>, key: string, version: string, maxAge: number, load: () => Promise<T>, unchanged?: Unchanged<T>): Promise<T> {
  const now = Date.now();
  const slot = map.get(key);
  const m = metrics();
  if (slot && slot.version === version) {
    // A load still running (another request started it) is waited for within the budget, however
    // old: a check would only wait for it too, and would report the load's failure as its own.
    if (!slot.settled) {
      m.cacheWait.inc();
      return bounded(slot.value);
    }
    const age = now - slot.at;
    if (age <= maxAge) {
      m.cacheHit.inc();
      return slot.value;
    }
    if (maxAge >= 0 && age <= maxAge * STALE_GRACE_TTLS) {
      if (!slot.refreshing) refreshInBackground(map, key, slot, load, unchanged);
      m.cacheStale.inc();
      return slot.value;
    }
    m.cacheWait.inc();
    if (maxAge >= 0 && unchanged && now - slot.fullAt < FULL_RELOAD_MS) return bounded(revalidate(map, key, slot, load, unchanged));
  } else m.cacheWait.inc();
  return bounded(loadInto(map, key, version, load));
}

/**
 * One shared load that replaces the entry; a failed load leaves no entry behind.
 * Its outcome counts like a freshness check's: when the tenant's own entry
 * expires first, requests stop at this load and no check ever runs, and the
 * outage would otherwise go unsaid.
 */
function loadInto<T>(map: Map<string, Slot<T>>, key: string, version: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const read = reads.start();
  const value = load();
  const slot: Slot<T> = { version, at: now, fullAt: now, value };
  map.set(key, slot);
  value.then(
    () => {
      slot.settled = true;
      configReadsSaid(read);
    },
    (error: unknown) => {
      if (map.get(key)?.value === value) map.delete(key);
      configReadsSaid(read, error);
    },
  );
  return value;
}

/**
 * Past the grace period: the entry is served again once the one-row check
 * says it is unchanged, and reloaded in full only if not. At 10,000
 * applications a full reload kept the first request after 20 s of quiet
 * waiting ~0.7 s on the embedded database; the check takes about a millisecond.
 */
function revalidate<T>(map: Map<string, Slot<T>>, key: string, slot: Slot<T>, load: () => Promise<T>, unchanged: Unchanged<T>): Promise<T> {
  if (slot.revalidation) return slot.revalidation;
  const started = Date.now();
  const read = reads.start();
  const revalidation = slot.value.then(unchanged).then((same) => {
    if (!same) {
      // Another request may have replaced the entry meanwhile (a reload, or a change made here).
      const current = map.get(key);
      return current && current !== slot ? current.value : loadInto(map, key, slot.version, load);
    }
    slot.at = started;
    return slot.value;
  });
  slot.revalidation = revalidation;
  // A check requests wait for is a freshness check too: its failure is said once, like a background one's
  // (when requests come too seldom for the grace period, only these run).
  revalidation.then(
    () => {
      slot.revalidation = undefined;
      freshnessChecked(read);
    },
    (error: unknown) => {
      slot.revalidation = undefined;
      freshnessChecked(read, error);
    },
  );
  return revalidation;
}

function refreshInBackground<T>(map: Map<string, Slot<T>>, key: string, slot: Slot<T>, load: () => Promise<T>, unchanged?: Unchanged<T>): void {
  slot.refreshing = true;
  const started = Date.now();
  const checkRead = reads.start();
  const done = () => {
    slot.refreshing = false;
  };
  const check = unchanged && started - slot.fullAt < FULL_RELOAD_MS ? slot.value.then(unchanged) : Promise.resolve(false);
  check.then(
    (same) => {
      if (same) {
        freshnessChecked(checkRead);
        slot.at = started;
        done();
        return;
      }
      const loadRead = reads.start();
      const value = load();
      value.then(
        // A change made here meanwhile gave the key a new version: the next request then reloads.
        () => {
          freshnessChecked(loadRead);
          const at = Date.now();
          if (map.get(key) === slot) map.set(key, { version: slot.version, at, fullAt: at, value, settled: true });
        },
        (error: unknown) => {
          freshnessChecked(loadRead, error);
          done();
        },
      );
    },
    (error: unknown) => {
      freshnessChecked(checkRead, error);
      done();
    },
  );
}

/** A hit is trusted for the configured TTL, a miss for MISS_TTL_MS at most. */
export function tenantBySlug(slug: string): Promise<TenantRef | null> {
  const slot = cache.tenants.get(slug);
  if (slot && Date.now() - slot.at <= (slot.miss ? Math.min(ttl(), MISS_TTL_MS) : ttl())) return slot.settled ? slot.value : bounded(slot.value);
  if (cache.tenants.size >= MAX_TENANT_SLOTS) cache.tenants.clear();
  return cached(cache.tenants, slug, "", -1, async () => {
    const tenant = await fromDatabase("tenant", () => loadTenant(slug));
    const current = cache.tenants.get(slug);
    if (current) current.miss = tenant === null;
    return tenant;
  });
}

/** One primary-key read instead of a reload, while nothing changed. */
const unchangedIn = (tenantId: string) => async (value: { configVersion: number }) =>
  (await fromDatabase("version", () => loadConfigVersion(tenantId))) === value.configVersion;

/** A configuration load from the database, timed and its failures counted (grantry_db_load_duration_seconds, grantry_db_errors_total). */
function fromDatabase<T>(kind: "tenant" | "snapshot" | "version" | "keyring", load: () => Promise<T>): Promise<T> {
  const m = metrics();
  return timed(
    load,
    (seconds) => m.dbLoad.labels(kind).observe(seconds),
    () => m.dbErrors.labels("config_load").inc(),
  );
}

export function tenantSnapshot(tenantId: string): Promise<TenantSnapshot> {
  return cached(
    cache.snapshots,
    tenantId,
    versionOf(tenantId),
    ttl(),
    () => fromDatabase("snapshot", () => loadTenantSnapshot(tenantId)),
    unchangedIn(tenantId),
  );
}

/**
 * A request failed for want of configuration (unknown client or secret, API
 * or grant) that another process may just have created: reload the snapshot
 * in the background, at most once a second per tenant. The failing request is
 * not delayed, so an unknown client id costs exactly what a known one does.
 */
export function reloadAfterMiss(tenantId: string): void {
  const slot = cache.snapshots.get(tenantId);
  const now = Date.now();
  if (!slot || now - slot.at <= MISS_TTL_MS || now - (cache.missReloads.get(tenantId) ?? 0) <= MISS_TTL_MS) return;
  cache.missReloads.set(tenantId, now);
  const version = versionOf(tenantId);
  const value = loadTenantSnapshot(tenantId);
  value.then(
    () => {
      if (cache.snapshots.get(tenantId) === slot) cache.snapshots.set(tenantId, { version, at: now, fullAt: now, value, settled: true });
    },
    () => {},
  );
}

async function loadKeyring(tenantId: string): Promise<Keyring> {
  const configVersion = (await loadConfigVersion(tenantId)) ?? -1;
  // Current keys first: a rotation between the two reads then only adds to the JWKS.
  const signing = await loadSigningKeys(tenantId);
  const { keys, retireAt } = await publishedKeySet(tenantId);
  return { configVersion, signing, jwks: keys, retireAt };
}

function keyring(tenantId: string): Promise<Keyring> {
  return cached(cache.keyrings, tenantId, versionOf(tenantId), ttl(), () => fromDatabase("keyring", () => loadKeyring(tenantId)), unchangedIn(tenantId));
}

/** The tenant's current key for `alg`, created on first use of an algorithm. */
export async function signingKey(tenantId: string, alg: SigningAlgorithm): Promise<SigningKey> {
  const key = (await keyring(tenantId)).signing.get(alg);
  if (key) return key;
  await createMissingKey(tenantId, alg);
  cache.keyrings.delete(tenantId);
  const created = (await keyring(tenantId)).signing.get(alg);
  if (!created) throw new Error(`No current ${alg} key for tenant ${tenantId}`);
  return created;
}

/**
 * The published JWKS (current and previous keys). `fresh` reloads, for a kid
 * not seen yet — at most once a second, so unknown kids cannot flood the database.
 */
export async function tenantJwks(tenantId: string, fresh = false): Promise<JWK[]> {
  const slot = cache.keyrings.get(tenantId);
  if (fresh && slot && Date.now() - slot.at > MISS_TTL_MS) cache.keyrings.delete(tenantId);
  const ring = await keyring(tenantId);
  if (ring.retireAt > Date.now()) return ring.jwks;
  // A previous key's tokens have all expired. Nothing bumps the configVersion when that
  // time comes, so without this the cached JWKS would keep it until the 10-minute full reload.
  const held = await cache.keyrings.get(tenantId)?.value.catch(() => null);
  if (held && held.retireAt <= Date.now()) cache.keyrings.delete(tenantId);
  return (await keyring(tenantId)).jwks;
}

/** Another process changed this tenant (NOTIFY grantry_config). */
export function markRemoteChange(tenantId: string): void {
  cache.remote.set(tenantId, (cache.remote.get(tenantId) ?? 0) + 1);
}

/** Forget everything, e.g. after the LISTEN connection dropped and notifications may have been missed. */
export function clearOAuthCache(): void {
  cache.tenants.clear();
  cache.snapshots.clear();
  cache.keyrings.clear();
}
