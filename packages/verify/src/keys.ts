// The issuer's signing keys: its JWKS URL (given, or read from its metadata,
// RFC 8414 / OpenID Connect Discovery), fetched once and cached by jose's
// remote key set. A token naming a kid the set lacks makes it fetch again, at
// most once per cooldown (a flood of forged kids costs the issuer nothing).
// Past maxAge the set is refreshed in the background while the cached keys
// keep verifying, so no request waits for it and an unreachable issuer does
// not turn valid tokens into refusals.
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";
import { VerifyError } from "./errors.js";

export type KeySetOptions = {
  issuer: string;
  jwksUri?: string;
  /** Refresh the cached keys after this long (ms, default 10 minutes). */
  maxAge: number;
  /** At most one fetch for an unknown kid per this long (ms, default 30 s). */
  cooldown: number;
  timeout: number;
  fetch?: typeof fetch;
};

export type KeySet = { getKey: JWTVerifyGetKey };

/** A kid the key set lacks, refused without a fetch: jose's own cooldown counts from the last successful fetch only. */
const noSuchKey = () => Object.assign(new Error("no key in the issuer's key set matches the token"), { code: "ERR_JWKS_NO_MATCHING_KEY" });
const unavailable = (cause: unknown) => new VerifyError("temporarily_unavailable", "The issuer's keys cannot be fetched", { cause });

function metadataUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, "");
  const base = issuer.replace(/\/+$/, "");
  return [
    ...new Set([
      `${u.origin}/.well-known/oauth-authorization-server${path}`,
      `${base}/.well-known/openid-configuration`,
      `${base}/.well-known/oauth-authorization-server`,
    ]),
  ];
}

async function discoverJwksUri(options: KeySetOptions): Promise<string> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let problem = "no metadata document answered";
  for (const url of metadataUrls(options.issuer)) {
    try {
      const res = await fetchImpl(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(options.timeout) });
      if (!res.ok) {
        problem = `${url} answered ${res.status}`;
        continue;
      }
      const metadata = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      // RFC 8414 §3.3: a document naming another issuer is not this issuer's.
      if (metadata.issuer !== options.issuer) throw new Error(`${url} names issuer ${String(metadata.issuer)}, not ${options.issuer}`);
      if (typeof metadata.jwks_uri !== "string") throw new Error(`${url} names no jwks_uri`);
      return metadata.jwks_uri;
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  throw new VerifyError("temporarily_unavailable", "The issuer's keys cannot be fetched", {
    cause: new Error(`Discovery of ${options.issuer} failed: ${problem}`),
  });
}

const PASS_THROUGH = new Set(["ERR_JWKS_NO_MATCHING_KEY", "ERR_JWKS_MULTIPLE_MATCHING_KEYS", "ERR_JOSE_NOT_SUPPORTED", "ERR_JWK_INVALID", "ERR_JWS_INVALID"]);

export function keySet(options: KeySetOptions): KeySet {
  type Remote = ReturnType<typeof createRemoteJWKSet>;
  let remote: Promise<Remote> | undefined;
  /** The loaded set, once it is: taken without awaiting a promise on every verification. */
  let ready: Remote | undefined;
  let fetchedAt = 0;
  /** A failed first load is not tried again before this: an issuer that is down is not asked once per request. */
  let failedUntil = 0;
  let failure: unknown;
  /** The kids of the cached set, and when a token's unknown kid last made it fetch again. */
  let knownKids = new Set<string>();
  let unknownKidAttempt = 0;

  const learnKids = (set: Remote) => {
    knownKids = new Set((set.jwks()?.keys ?? []).map((k) => k.kid).filter((kid): kid is string => typeof kid === "string"));
  };

  function load(): Promise<Remote> {
    if (Date.now() < failedUntil) return Promise.reject(failure instanceof Error ? failure : unavailable(failure));
    if (!remote) {
      remote = (async () => {
        const uri = options.jwksUri ?? (await discoverJwksUri(options));
        // Never stale for jose itself: the age is watched here, so the refresh does not hold up a request.
        const set = createRemoteJWKSet(new URL(uri), {
          cacheMaxAge: Infinity,
          cooldownDuration: options.cooldown,
          timeoutDuration: options.timeout,
          ...(options.fetch ? { [customFetch]: options.fetch } : {}),
        });
        await set.reload();
        fetchedAt = Date.now();
        learnKids(set);
        ready = set;
        return set;
      })();
      remote.catch((error: unknown) => {
        remote = undefined;
        failure = error instanceof VerifyError ? error : unavailable(error);
        failedUntil = Date.now() + Math.min(options.cooldown, 5000);
      });
    }
    return remote;
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    let set: Remote;
    if (ready) set = ready;
    else {
      try {
        set = await load();
      } catch (error) {
        throw error instanceof VerifyError ? error : unavailable(error);
      }
    }
    if (Date.now() - fetchedAt > options.maxAge && !set.reloading) {
      fetchedAt = Date.now();
      set.reload().then(
        () => learnKids(set),
        () => {
          // Keep the keys we have; the next refresh is due after another maxAge.
        },
      );
    }
    const unknown = typeof header.kid === "string" && !knownKids.has(header.kid);
    if (unknown) {
      if (Date.now() - unknownKidAttempt < options.cooldown) throw noSuchKey();
      unknownKidAttempt = Date.now();
    }
    try {
      return await set(header, token);
    } catch (error) {
      // No key for the token (or no usable one) is the token's fault; a failed fetch of the key set is not.
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && PASS_THROUGH.has(code)) throw error;
      throw unavailable(error);
    } finally {
      if (unknown) learnKids(set);
    }
  };
  return { getKey };
}
