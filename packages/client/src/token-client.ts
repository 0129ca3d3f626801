// createTokenClient: tokens per audience and scope, held until a jittered
// fraction of their lifetime and then refreshed in the background while the
// current one is still served, one request at a time per audience and scope
// (single flight), optionally shared between replicas through a cache and a
// refresh lock; fetch() that sends the token and, on a 401, gets a new one once.
import { createHash } from "node:crypto";
import { clientAuth, type ClientAuthOptions } from "./client-auth.js";
import { createDpop, type DpopOptions } from "./dpop.js";
import { TokenError } from "./errors.js";
import { retryPolicy, sleep, type RetryOptions } from "./retry.js";
import { guard, type SharedTokenCache } from "./shared-cache.js";
import { tokenEndpoint, type TokenRequestEvent } from "./token-endpoint.js";

export type Token = {
  accessToken: string;
  /** The scheme of the Authorization header: "DPoP" for a DPoP-bound token. */
  tokenType: "Bearer" | "DPoP";
  /** When it expires, in milliseconds since the epoch (by this machine's clock: obtained time + expires_in). */
  expiresAt: number;
  /** The scope the server granted, when it said. */
  scope?: string;
};

export type TokenTarget = { audience?: string; scope?: string | string[] };

export type TokenClientEvent =
  | TokenRequestEvent
  | { type: "served"; audience: string; scope?: string; waited: boolean }
  | { type: "refreshed"; audience: string; scope?: string; source: "server" | "shared"; expiresAt: number }
  | { type: "refresh-failed"; audience: string; scope?: string; error: unknown }
  | { type: "shared-cache-error"; operation: string; error: unknown };

export type TokenClientOptions = ClientAuthOptions & {
  /** The token endpoint; or give `issuer` and it is discovered (RFC 8414, OpenID Connect Discovery). */
  tokenUrl?: string;
  issuer?: string;
  /** The API the tokens are for (RFC 8707 resource; Auth0's and Grantry's audience). */
  audience: string;
  scope?: string | string[];
  /** How the API is named in the request: "resource" (RFC 8707, default), "audience", or "both". */
  audienceParam?: "resource" | "audience" | "both";
  /** Ask for DPoP-bound tokens (RFC 9449), proving possession of this key on every call. */
  dpop?: DpopOptions;
  /** A cache shared by the replicas of a service (see redisTokenCache). */
  sharedCache?: SharedTokenCache;
  /** Longest wait for one shared-cache call before falling back to the local cache (default 500 ms). */
  sharedCacheTimeoutMs?: number;
  /** How long a replica waits for another one's refresh before asking itself (default 5 s). */
  lockWaitMs?: number;
  /** The lifetime of the refresh lock (default 15 s): a replica that dies holding it delays the others by at most this. */
  lockTtlMs?: number;
  /** Refresh once this fraction of the lifetime has passed, drawn uniformly per token from the range (default [0.7, 0.85]). */
  refreshWindow?: [number, number];
  /** A token is not handed out in its last seconds (default 30, at most a tenth of its lifetime). */
  expirySkewSeconds?: number;
  /** The lifetime assumed when the server sends no expires_in and the token is no JWT with exp (default 60). */
  defaultLifetimeSeconds?: number;
  retry?: RetryOptions;
  /** Per token request attempt (default 10 s). */
  requestTimeoutMs?: number;
  /** Extra form parameters for each token request. */
  extraParams?: Record<string, string>;
  /** The fetch used for the token endpoint, discovery and client.fetch (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Observability: requests, retries, refreshes, calls served with or without waiting, shared-cache failures. */
  onEvent?: (event: TokenClientEvent) => void;
};

export type TokenClient = {
  /** A token for the client's audience and scope, or for the ones given. */
  getToken(target?: TokenTarget): Promise<Token>;
  /** fetch() with the token in the Authorization header (and a DPoP proof); on a 401, one retry with a new token. */
  fetch(input: string | URL | Request, init?: RequestInit, target?: TokenTarget): Promise<Response>;
  /** Forgets the cached token of an audience and scope (all of them without an argument). */
  invalidate(target?: TokenTarget): void;
};

type Entry = { token: Token; obtainedAt: number; refreshAt: number; usableUntil: number };
type Stored = Token & { obtainedAt: number };
type Resolved = { audience: string; scope?: string; key: string; sharedKey: string };

const REJECTED_LIMIT = 256;

export function createTokenClient(options: TokenClientOptions): TokenClient {
  if (!options.audience) throw new TypeError("audience is required");
  const [lo, hi] = options.refreshWindow ?? [0.7, 0.85];
  if (!(lo > 0 && hi >= lo && hi < 1)) throw new TypeError("refreshWindow must be [low, high] with 0 < low ≤ high < 1");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const emit = options.onEvent ? (event: TokenClientEvent) => options.onEvent!(event) : undefined;
  const dpop = options.dpop ? createDpop(options.dpop) : undefined;
  const endpoint = tokenEndpoint({
    tokenUrl: options.tokenUrl,
    issuer: options.issuer,
    fetch: fetchImpl,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    retry: retryPolicy(options.retry),
    auth: clientAuth(options),
    dpop,
    audienceParam: options.audienceParam ?? "resource",
    extraParams: options.extraParams,
    onEvent: emit,
  });
  const shared = options.sharedCache
    ? guard(options.sharedCache, options.sharedCacheTimeoutMs ?? 500, 2000, (operation, error) => emit?.({ type: "shared-cache-error", operation, error }))
    : undefined;
  const lockWaitMs = options.lockWaitMs ?? 5000;
  const lockTtlMs = options.lockTtlMs ?? 15_000;
  const skewMs = (options.expirySkewSeconds ?? 30) * 1000;
  const defaultLifetime = options.defaultLifetimeSeconds ?? 60;

  const local = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Entry>>();
  /** No background refresh of a key before this time, after one failed. */
  const quietUntil = new Map<string, number>();
  /** Tokens an API refused with a 401: never taken from the shared cache again. */
  const rejected = new Set<string>();

  function resolveTarget(target: TokenTarget = {}): Resolved {
    const audience = target.audience ?? options.audience;
    const raw = target.scope ?? options.scope;
    const words = (Array.isArray(raw) ? raw : (raw ?? "").split(" ")).filter(Boolean);
    const scope = words.length ? [...new Set(words)].sort().join(" ") : undefined;
    const key = `${audience}\u0000${scope ?? ""}`;
    // Everything that makes two tokens interchangeable, hashed: the shared key names no client or API.
    const identity = [options.tokenUrl ?? options.issuer, options.clientId, audience, scope ?? "", dpop?.jkt ?? ""];
    return { audience, scope, key, sharedKey: createHash("sha256").update(JSON.stringify(identity)).digest("base64url") };
  }

  function entryFor(stored: Stored): Entry {
    const lifetime = Math.max(0, stored.expiresAt - stored.obtainedAt);
    const fraction = lo + Math.random() * (hi - lo);
    return {
      token: { accessToken: stored.accessToken, tokenType: stored.tokenType, expiresAt: stored.expiresAt, ...(stored.scope ? { scope: stored.scope } : {}) },
      obtainedAt: stored.obtainedAt,
      refreshAt: stored.obtainedAt + lifetime * fraction,
      usableUntil: stored.expiresAt - Math.min(skewMs, lifetime / 10),
    };
  }

  /** A token from the shared cache worth taking: not refused, not due for refresh, and not the one this process already holds. */
  async function readShared(t: Resolved, current: Entry | undefined): Promise<Entry | undefined> {
    if (!shared) return undefined;
    const read = await shared.call("get", (cache) => cache.get(t.sharedKey));
    if (!read.ok || !read.value) return undefined;
    let stored: Stored;
    try {
      stored = JSON.parse(read.value) as Stored;
    } catch {
      return undefined;
    }
    if (typeof stored.accessToken !== "string" || typeof stored.expiresAt !== "number" || typeof stored.obtainedAt !== "number") return undefined;
    if (rejected.has(stored.accessToken) || stored.accessToken === current?.token.accessToken) return undefined;
    if (stored.tokenType !== "Bearer" && stored.tokenType !== "DPoP") return undefined;
    const entry = entryFor(stored);
    return Date.now() < entry.refreshAt ? entry : undefined;
  }

  function keep(t: Resolved, entry: Entry, source: "server" | "shared"): Entry {
    local.set(t.key, entry);
    emit?.({ type: "refreshed", audience: t.audience, scope: t.scope, source, expiresAt: entry.token.expiresAt });
    return entry;
  }

  async function fromServer(t: Resolved): Promise<Entry> {
    const started = Date.now();
    const answer = await endpoint.request(t.audience, t.scope);
    const lifetime = answer.expiresIn ?? jwtLifetime(answer.accessToken) ?? defaultLifetime;
    const stored: Stored = {
      accessToken: answer.accessToken,
      tokenType: answer.tokenType,
      scope: answer.scope,
      obtainedAt: started,
      expiresAt: started + lifetime * 1000,
    };
    const entry = keep(t, entryFor(stored), "server");
    if (shared) await shared.call("set", (cache) => cache.set(t.sharedKey, JSON.stringify(stored), stored.expiresAt - Date.now()));
    return entry;
  }

  async function obtain(t: Resolved): Promise<Entry> {
    const current = local.get(t.key);
    if (shared) {
      const theirs = await readShared(t, current);
      if (theirs) return keep(t, theirs, "shared");
      // A lock granted after the call timed out is nobody's: released at once, or the other replicas would wait for it.
      const lock = await shared.call(
        "lock",
        (cache) => cache.lock(t.sharedKey, lockTtlMs),
        (release) => release?.(),
      );
      if (lock.ok && lock.value) {
        const release = lock.value;
        try {
          // Another replica may have refreshed between our read and our lock.
          const again = await readShared(t, current);
          if (again) return keep(t, again, "shared");
          return await fromServer(t);
        } finally {
          await shared.call("unlock", () => release());
        }
      }
      if (lock.ok) {
        // Another replica holds the lock: its token will appear in the shared cache.
        const deadline = Date.now() + lockWaitMs;
        // Until it does, the wait ends, or the shared cache fails (then nobody's token will appear there).
        while (Date.now() < deadline && shared.available()) {
          await sleep(25 + Math.random() * 50);
          const awaited = await readShared(t, current);
          if (awaited) return keep(t, awaited, "shared");
        }
        const still = local.get(t.key);
        if (still && Date.now() < still.usableUntil) return still;
      }
    }
    return fromServer(t);
  }

  function refresh(t: Resolved): Promise<Entry> {
    let pending = inflight.get(t.key);
    if (!pending) {
      pending = obtain(t).finally(() => inflight.delete(t.key));
      inflight.set(t.key, pending);
    }
    return pending;
  }

  async function getToken(target?: TokenTarget): Promise<Token> {
    const t = resolveTarget(target);
    const entry = local.get(t.key);
    const now = Date.now();
    if (entry && now < entry.usableUntil) {
      // Due for refresh: refresh in the background and serve the current token meanwhile.
      if (now >= entry.refreshAt && !inflight.has(t.key) && now >= (quietUntil.get(t.key) ?? 0)) {
        refresh(t).catch((error: unknown) => {
          quietUntil.set(t.key, Date.now() + 1000 + Math.random() * 1000);
          emit?.({ type: "refresh-failed", audience: t.audience, scope: t.scope, error });
        });
      }
      emit?.({ type: "served", audience: t.audience, scope: t.scope, waited: false });
      return entry.token;
    }
    const fresh = await refresh(t);
    emit?.({ type: "served", audience: t.audience, scope: t.scope, waited: true });
    return fresh.token;
  }

  function invalidate(target?: TokenTarget): void {
    if (!target) return local.clear();
    local.delete(resolveTarget(target).key);
  }

  /** Drops a token an API refused, here and (by refusing it) as it comes from the shared cache. */
  function reject(t: Resolved, token: Token): void {
    rejected.add(token.accessToken);
    if (rejected.size > REJECTED_LIMIT) rejected.delete(rejected.values().next().value!);
    if (local.get(t.key)?.token.accessToken === token.accessToken) local.delete(t.key);
  }

  function send(call: Call, token: Token): Promise<Response> {
    const headers = new Headers(call.headers);
    headers.set("authorization", `${token.tokenType} ${token.accessToken}`);
    if (token.tokenType === "DPoP") {
      if (!dpop) throw new TokenError("invalid_request", { description: "The server issued a DPoP-bound token, but the client has no DPoP key" });
      headers.set("dpop", dpop.proof(call.method, call.url, token.accessToken));
    }
    return fetchImpl(call.url, { ...call.init, method: call.method, headers, body: call.body });
  }

  async function clientFetch(input: string | URL | Request, init?: RequestInit, target?: TokenTarget): Promise<Response> {
    const t = resolveTarget(target);
    const call = await describeCall(input, init);
    let token = await getToken(target);
    let res = await send(call, token);
    if (res.status !== 401) return res;
    // RFC 9449 §9: the API wants a nonce in the proof; one more try with the same token.
    if (token.tokenType === "DPoP" && /error="use_dpop_nonce"/.test(res.headers.get("www-authenticate") ?? "") && dpop?.rememberNonce(call.url, res)) {
      await res.body?.cancel();
      res = await send(call, token);
      if (res.status !== 401) return res;
    }
    // Revoked, or signed with a key the API has not seen yet: a new token, once.
    await res.body?.cancel();
    reject(t, token);
    token = await getToken(target);
    return send(call, token);
  }

  return { getToken, fetch: clientFetch, invalidate };
}

/** A request as plain parts, its body read once so it can be sent again after a 401. */
type Call = { url: string; method: string; headers: Headers; body?: BodyInit; init: RequestInit };

/**
 * Plain url and init, not a Request object: the fetch given (or a framework's
 * patched global one, as in Next.js) may not accept another implementation's
 * Request. A stream body is read into memory: it could not be sent twice.
 */
async function describeCall(input: string | URL | Request, init: RequestInit = {}): Promise<Call> {
  const request = typeof input === "object" && !(input instanceof URL) && typeof input.arrayBuffer === "function" ? input : undefined;
  const url = request ? request.url : String(input);
  const method = (init.method ?? request?.method ?? "GET").toUpperCase();
  const headers = new Headers(request?.headers);
  new Headers(init.headers).forEach((value, name) => headers.set(name, value));
  let body: BodyInit | undefined = init.body ?? undefined;
  if (body === undefined && request?.body) body = await request.arrayBuffer();
  if (body instanceof ReadableStream) body = await new Response(body).arrayBuffer();
  const rest: RequestInit = { ...init };
  delete rest.body;
  delete rest.headers;
  return { url, method, headers, body, init: { redirect: request?.redirect, signal: request?.signal, ...rest } };
}

/** exp − iat of a JWT access token, for a server that sends no expires_in. */
function jwtLifetime(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown; iat?: unknown };
    if (typeof claims.exp !== "number") return undefined;
    const from = typeof claims.iat === "number" ? claims.iat : Date.now() / 1000;
    return Math.max(0, claims.exp - from);
  } catch {
    return undefined;
  }
}
