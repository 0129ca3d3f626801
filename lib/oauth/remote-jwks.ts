// Key sets fetched from a URL (an application's jwks_uri, a federated
// issuer's JWKS), kept in memory so the token path fetches rarely: used for
// GRANTRY_REMOTE_JWKS_CACHE_S, fetched again sooner when an assertion names a
// kid the set lacks (a key rotation; at most every 30 s, so unknown kids
// cannot make Grantry hammer the URL), and kept up to a day past a failed
// refresh so a key server's outage does not stop its clients. One fetch per
// URL at a time; concurrent requests wait for it.
import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { env } from "@/lib/env";
import { KeySetError, usableKeysOf, type AssertionAlgorithm } from "@/lib/domain/public-keys";
import { fetchJson, OutboundError } from "@/lib/outbound";

export type RemoteKey = { kid: string; alg: AssertionAlgorithm | undefined; key: KeyObject };

type Entry = {
  keys: RemoteKey[] | null;
  /** When `keys` were fetched (ms). */
  fetchedAt: number;
  /** When a fetch was last tried, and why it failed if it did. */
  triedAt: number;
  error: string | null;
  pending: Promise<void> | null;
};

const REFETCH_COOLDOWN_MS = 30_000;
const STALE_FOR_MS = 24 * 3600_000;
const MAX_URLS = 10_000;

// On globalThis: the fast path and Next's bundle share one cache.
const g = globalThis as unknown as { __grantryRemoteJwks?: Map<string, Entry> };
const cache: Map<string, Entry> = (g.__grantryRemoteJwks ??= new Map());

function refresh(url: string, entry: Entry, now: number): Promise<void> {
  entry.triedAt = now;
  entry.pending = fetchJson(url)
    .then(
      (body) => {
        entry.keys = usableKeysOf(body).map((jwk) => ({ kid: jwk.kid, alg: jwk.alg, key: createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }) }));
        entry.fetchedAt = Date.now();
        entry.error = null;
      },
      (error: unknown) => {
        entry.error = error instanceof OutboundError || error instanceof KeySetError ? error.message : "It cannot be fetched";
      },
    )
    .finally(() => {
      entry.pending = null;
    });
  return entry.pending;
}

function entryFor(url: string): Entry {
  let entry = cache.get(url);
  if (!entry) {
    if (cache.size >= MAX_URLS) cache.delete(cache.keys().next().value!);
    entry = { keys: null, fetchedAt: 0, triedAt: 0, error: null, pending: null };
    cache.set(url, entry);
  }
  return entry;
}

/**
 * The keys at `url`, fetched when not cached or stale, or when `kid` is named
 * and missing; an OutboundError saying why when there are none to use.
 */
export async function remoteKeys(url: string, kid?: string, now = Date.now()): Promise<RemoteKey[]> {
  const entry = entryFor(url);
  const fresh = entry.keys !== null && now - entry.fetchedAt < env().GRANTRY_REMOTE_JWKS_CACHE_S * 1000;
  const missingKid = kid !== undefined && entry.keys !== null && !entry.keys.some((k) => k.kid === kid);
  const mayTry = now - entry.triedAt >= REFETCH_COOLDOWN_MS || (entry.keys === null && entry.error === null);
  if (entry.pending) await entry.pending;
  else if ((!fresh || missingKid) && mayTry) await refresh(url, entry, now);
  if (entry.keys && Date.now() - entry.fetchedAt < STALE_FOR_MS) return entry.keys;
  throw new OutboundError(entry.error ?? "It has not been fetched yet");
}

/** For tests and after an admin edits a URL: forget what was fetched. */
export function forgetRemoteKeys(url?: string): void {
  if (url === undefined) cache.clear();
  else cache.delete(url);
}
