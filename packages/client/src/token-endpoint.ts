// The token request itself (RFC 6749 §4.4): where the endpoint is (given, or
// found by discovery from the issuer, RFC 8414), the request, its retries,
// and the answer read into a token or a TokenError.
import type { ClientAuth } from "./client-auth.js";
import type { Dpop } from "./dpop.js";
import { TokenError } from "./errors.js";
import { backoffMs, parseRetryAfter, sleep, TRANSIENT_STATUSES, type RetryPolicy } from "./retry.js";

export type TokenResponse = { accessToken: string; tokenType: "Bearer" | "DPoP"; expiresIn?: number; scope?: string };

export type TokenRequestEvent =
  | { type: "request"; audience: string; scope?: string; attempt: number; status?: number; error?: string }
  | { type: "retry"; audience: string; scope?: string; attempt: number; delayMs: number; reason: string };

export type EndpointOptions = {
  tokenUrl?: string;
  issuer?: string;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  auth: ClientAuth;
  dpop?: Dpop;
  /** How the API is named in the request: RFC 8707's `resource` (default), Auth0's `audience`, or both. */
  audienceParam: "resource" | "audience" | "both";
  /** Extra form parameters for every token request. */
  extraParams?: Record<string, string>;
  onEvent?: (event: TokenRequestEvent) => void;
};

export type TokenEndpoint = {
  request(audience: string, scope: string | undefined): Promise<TokenResponse>;
  /** Where the token endpoint is, resolved (by discovery if needed). */
  resolve(): Promise<{ tokenUrl: string; issuer?: string }>;
};

/** RFC 8414 §3.1 (well-known inserted before the issuer's path), then the OpenID and appended forms many servers use. */
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

export function tokenEndpoint(options: EndpointOptions): TokenEndpoint {
  if (!options.tokenUrl && !options.issuer) throw new TypeError("Give tokenUrl or issuer");
  let resolved: Promise<{ tokenUrl: string; issuer?: string }> | undefined;
  /** No request before this time: the server's Retry-After, honoured across calls. */
  let notBefore = 0;
  let lastRefusal: TokenError | undefined;

  async function discover(issuer: string): Promise<{ tokenUrl: string; issuer: string }> {
    let lastProblem = "no metadata document answered";
    for (const url of metadataUrls(issuer)) {
      try {
        const res = await options.fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(options.requestTimeoutMs) });
        if (!res.ok) {
          lastProblem = `${url} answered ${res.status}`;
          continue;
        }
        const metadata = (await res.json()) as { issuer?: unknown; token_endpoint?: unknown };
        // RFC 8414 §3.3: the document must name the issuer it was fetched for.
        if (metadata.issuer !== issuer)
          throw new TokenError("server_error", { description: `Discovery at ${url} names issuer ${String(metadata.issuer)}, not ${issuer}` });
        if (typeof metadata.token_endpoint !== "string") throw new TokenError("server_error", { description: `Discovery at ${url} names no token_endpoint` });
        return { tokenUrl: metadata.token_endpoint, issuer };
      } catch (error) {
        if (error instanceof TokenError) throw error;
        lastProblem = `${url}: ${(error as Error).message}`;
      }
    }
    throw new TokenError("temporarily_unavailable", { description: `Could not discover the token endpoint of ${issuer} (${lastProblem})` });
  }

  function resolve() {
    if (options.tokenUrl) return Promise.resolve({ tokenUrl: options.tokenUrl, issuer: options.issuer });
    if (!resolved) {
      resolved = discover(options.issuer!);
      // A failed discovery is tried again by the next request, not remembered.
      resolved.catch(() => (resolved = undefined));
    }
    return resolved;
  }

  async function attempt(tokenUrl: string, issuer: string | undefined, audience: string, scope: string | undefined): Promise<Response> {
    const auth = await options.auth(issuer ?? tokenUrl);
    const params = new URLSearchParams({ grant_type: "client_credentials", ...options.extraParams, ...auth.params });
    if (options.audienceParam !== "audience") params.set("resource", audience);
    if (options.audienceParam !== "resource") params.set("audience", audience);
    if (scope) params.set("scope", scope);
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...auth.headers };
    if (options.dpop) headers.dpop = options.dpop.proof("POST", tokenUrl);
    return options.fetch(tokenUrl, { method: "POST", headers, body: params.toString(), signal: AbortSignal.timeout(options.requestTimeoutMs) });
  }

  async function request(audience: string, scope: string | undefined): Promise<TokenResponse> {
    const { tokenUrl, issuer } = await resolve();
    const policy = options.retry;
    let nonceRetried = false;
    for (let n = 0; ; n++) {
      const wait = notBefore - Date.now();
      if (wait > 0) {
        if (wait > policy.maxRetryAfterMs || n > policy.retries)
          throw lastRefusal ?? new TokenError("too_many_requests", { retryAfter: Math.ceil(wait / 1000) });
        await sleep(wait);
      }
      let res: Response;
      try {
        res = await attempt(tokenUrl, issuer, audience, scope);
      } catch (error) {
        options.onEvent?.({ type: "request", audience, scope, attempt: n, error: (error as Error).name });
        const failure = new TokenError("temporarily_unavailable", {
          description: `The token endpoint could not be reached: ${(error as Error).message}`,
          cause: error,
        });
        if (n >= policy.retries) throw failure;
        const delayMs = backoffMs(policy, n);
        options.onEvent?.({ type: "retry", audience, scope, attempt: n + 1, delayMs, reason: (error as Error).name });
        await sleep(delayMs);
        continue;
      }
      options.onEvent?.({ type: "request", audience, scope, attempt: n, status: res.status });
      if (res.ok) return readToken(res);
      const error = await readError(res);
      // RFC 9449 §8: the server wants a nonce in the proof; once, and not counted as a retry.
      if (error.code === "use_dpop_nonce" && options.dpop?.rememberNonce(tokenUrl, res) && !nonceRetried) {
        nonceRetried = true;
        n--;
        continue;
      }
      if (!TRANSIENT_STATUSES.has(res.status)) throw error;
      if (error.retryAfter !== undefined) {
        notBefore = Date.now() + error.retryAfter * 1000;
        lastRefusal = error;
      }
      if (n >= policy.retries) throw error;
      const delayMs = Math.max(backoffMs(policy, n), notBefore - Date.now());
      if (delayMs > policy.maxRetryAfterMs) throw error;
      options.onEvent?.({ type: "retry", audience, scope, attempt: n + 1, delayMs, reason: String(res.status) });
      await sleep(delayMs);
    }
  }

  return { request, resolve };
}

async function readToken(res: Response): Promise<TokenResponse> {
  let body: Record<string, unknown>;
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch (cause) {
    throw new TokenError("server_error", { status: res.status, description: "The token endpoint's answer is not JSON", cause });
  }
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, scope } = body;
  if (typeof accessToken !== "string" || !accessToken)
    throw new TokenError("server_error", { status: res.status, description: "The answer has no access_token" });
  const type = typeof tokenType === "string" ? tokenType.toLowerCase() : "";
  if (type !== "bearer" && type !== "dpop")
    throw new TokenError("server_error", { status: res.status, description: `Unsupported token_type ${String(tokenType)}` });
  const seconds = typeof expiresIn === "string" && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  return {
    accessToken,
    tokenType: type === "dpop" ? "DPoP" : "Bearer",
    expiresIn: typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined,
    scope: typeof scope === "string" ? scope : undefined,
  };
}

async function readError(res: Response): Promise<TokenError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page): the status names the error.
  }
  const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
  const fallback =
    res.status === 429 ? "too_many_requests" : res.status === 503 ? "temporarily_unavailable" : res.status >= 500 ? "server_error" : "invalid_request";
  return new TokenError(typeof body.error === "string" && body.error ? body.error : fallback, {
    status: res.status,
    description: typeof body.error_description === "string" ? body.error_description : undefined,
    uri: typeof body.error_uri === "string" ? body.error_uri : undefined,
    retryAfter: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}
