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
import { fetchJson, OutboundError, outboundUrlProblem } from "@/lib/outbound";

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
        entry.fetchedAt = Date.now();
        try {
          entry.keys = usableKeysOf(body).map((jwk) => ({ kid: jwk.kid, alg: jwk.alg, key: createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }) }));
          entry.error = null;
        } catch (error) {
          // The server answered, with no key to use: an owner revoking every key must not see the old ones live on.
          entry.keys = null;
          entry.error = error instanceof KeySetError ? error.message : "Its keys cannot be read";
        }
      },
      (error: unknown) => {
        // No answer: the last keys stay in use (up to a day), so a key server's outage does not stop its clients.
        entry.error = error instanceof OutboundError ? error.message : "It cannot be fetched";
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
  const mayTry = now - entry.triedAt >= REFETCH_COOLDOWN_MS || entry.triedAt === 0;
  if (entry.pending) await entry.pending;
  else if ((!fresh || missingKid) && mayTry) await refresh(url, entry, now);
  if (entry.keys && Date.now() - entry.fetchedAt < STALE_FOR_MS) return entry.keys;
  throw new OutboundError(entry.error ?? "It has not been fetched yet");
}

/** The keys at `url` if they are cached, fresh and hold `kid` (when named): what remoteKeys() would answer without a fetch; else null. */
export function cachedRemoteKeys(url: string, kid?: string, now = Date.now()): RemoteKey[] | null {
  const entry = cache.get(url);
  if (!entry?.keys || entry.pending || now - entry.fetchedAt >= Math.min(env().GRANTRY_REMOTE_JWKS_CACHE_S * 1000, STALE_FOR_MS)) return null;
  return kid === undefined || entry.keys.some((k) => k.kid === kid) ? entry.keys : null;
}

/** For tests and after an admin edits a URL: forget what was fetched. */
export function forgetRemoteKeys(url?: string): void {
  if (url === undefined) cache.clear();
  else cache.delete(url);
}

type Discovered = { uri: string | null; fetchedAt: number; triedAt: number; error: string | null; pending: Promise<void> | null };

const g2 = globalThis as unknown as { __grantryDiscovered?: Map<string, Discovered> };
const discovered: Map<string, Discovered> = (g2.__grantryDiscovered ??= new Map());

/** The `jwks_uri` of an OpenID Provider Metadata document, checked against the issuer it was asked for. */
export function jwksUriOf(body: unknown, issuer: string): string {
  const doc = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (!doc) throw new OutboundError("Its discovery document is not a JSON object");
  // OpenID Connect Discovery §4.3: the issuer must be identical, or the document speaks for another issuer.
  if (doc.issuer !== issuer) throw new OutboundError(`Its discovery document names another issuer (${JSON.stringify(String(doc.issuer).slice(0, 200))})`);
  if (typeof doc.jwks_uri !== "string") throw new OutboundError('Its discovery document has no "jwks_uri"');
  const problem = outboundUrlProblem(doc.jwks_uri);
  if (problem) throw new OutboundError(`Its discovery document's jwks_uri ${problem}`);
  return doc.jwks_uri;
}

/**
 * The JWKS URL an issuer publishes at `{issuer}/.well-known/openid-configuration`,
 * cached like the key sets (a failed refresh keeps the last answer for a day;
 * failures are retried at most every 30 s).
 * @see OpenID Connect Discovery 1.0 §4
 */
export async function discoveredJwksUri(issuer: string, now = Date.now()): Promise<string> {
  let entry = discovered.get(issuer);
  if (!entry) {
    if (discovered.size >= MAX_URLS) discovered.delete(discovered.keys().next().value!);
    entry = { uri: null, fetchedAt: 0, triedAt: 0, error: null, pending: null };
    discovered.set(issuer, entry);
  }
  const fresh = entry.uri !== null && now - entry.fetchedAt < env().GRANTRY_REMOTE_JWKS_CACHE_S * 1000;
  const mayTry = now - entry.triedAt >= REFETCH_COOLDOWN_MS || (entry.uri === null && entry.error === null);
  if (entry.pending) await entry.pending;
  else if (!fresh && mayTry) {
    const e = entry;
    e.triedAt = now;
    e.pending = fetchJson(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`)
      .then((body) => jwksUriOf(body, issuer))
      .then(
        (uri) => {
          e.uri = uri;
          e.fetchedAt = Date.now();
          e.error = null;
        },
        (error: unknown) => {
          e.error = error instanceof OutboundError ? error.message : "It cannot be fetched";
        },
      )
      .finally(() => {
        e.pending = null;
      });
    await e.pending;
  }
  if (entry.uri !== null && Date.now() - entry.fetchedAt < STALE_FOR_MS) return entry.uri;
  throw new OutboundError(entry.error ?? "It has not been fetched yet");
}

/** For tests and after an admin edits an issuer: forget its discovery document. */
export function forgetDiscovery(issuer?: string): void {
  if (issuer === undefined) discovered.clear();
  else discovered.delete(issuer);
}
