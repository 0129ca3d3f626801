// The OAuth error family: one class per RFC 6749 §5.2 code (plus RFC 8707's
// invalid_target), each carrying its HTTP status and whether its description
// may be shown. `errorResponse` is the only place that writes an error body;
// anything that is not an OAuthError becomes a bare 500 server_error.
// @see RFC 6749 §5.2, RFC 8707 §2, RFC 7009 §2.2.1
import { isDatabaseUnavailable } from "@/lib/db-errors";
import type { ProtocolResponse } from "./types";

export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * Every protocol endpoint may be called from a browser page of any origin
 * (seed 002's jQuery sample). `*` without Allow-Credentials: no cookie or
 * ambient credential is involved, so a page can read only what the
 * credentials it sent already give it.
 */
export const CORS = { "Access-Control-Allow-Origin": "*" } as const;
const JSON_HEADERS = { "Content-Type": JSON_TYPE, ...NO_STORE, ...CORS } as const;

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly status: number,
    description: string,
    /** False for internal failures: the body then carries no description. */
    readonly expose = true,
    readonly headers: Record<string, string> = {},
  ) {
    // These are answers, not bugs: skip the stack trace, a tenth of an error response's CPU.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(description);
    Error.stackTraceLimit = limit;
    this.name = "OAuthError";
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string, status = 400) {
    super("invalid_request", status, description);
  }
}

/** RFC 6749 §5.2: 401, with a challenge matching the scheme the client tried. */
export class InvalidClient extends OAuthError {
  constructor(description = "Client authentication failed", challenge?: string) {
    super("invalid_client", 401, description, true, challenge ? { "WWW-Authenticate": challenge } : {});
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super("unauthorized_client", 400, description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description = "Only grant_type=client_credentials is supported") {
    super("unsupported_grant_type", 400, description);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super("invalid_scope", 400, description);
  }
}

/** RFC 8707 §2: the audience / resource names no API of this tenant. */
export class InvalidTarget extends OAuthError {
  constructor(description: string) {
    super("invalid_target", 400, description);
  }
}

/** Known API, but this client holds no (live) grant for it. */
export class AccessDenied extends OAuthError {
  constructor(description: string) {
    super("access_denied", 403, description);
  }
}

/** A fresh nonce for the client's next proof, readable by a browser page too (CORS hides other headers). */
export function dpopNonceHeaders(nonce: string): Record<string, string> {
  return { "DPoP-Nonce": nonce, "Access-Control-Expose-Headers": "DPoP-Nonce" };
}

/** RFC 9449 §5: the DPoP proof of a token request is missing where required, malformed or invalid. */
export class InvalidDpopProof extends OAuthError {
  constructor(description: string) {
    super("invalid_dpop_proof", 400, description);
  }
}

/** RFC 9449 §8: the proof must carry the nonce the `DPoP-Nonce` header gives. */
export class UseDpopNonce extends OAuthError {
  constructor(nonce: string, description = 'Resend the request with a DPoP proof whose "nonce" is the DPoP-Nonce header of this response') {
    super("use_dpop_nonce", 400, description, true, dpopNonceHeaders(nonce));
  }
}

/** Not an RFC 6749 code: an unknown tenant or endpoint, in the same body shape. */
export class NotFound extends OAuthError {
  constructor(description = "Not found") {
    super("not_found", 404, description);
  }
}

export class MethodNotAllowed extends OAuthError {
  constructor(allow: readonly string[]) {
    super("invalid_request", 405, `Use ${allow.join(" or ")} on this endpoint`, true, { Allow: allow.join(", ") });
  }
}

/** Rate limited: Auth0's body shape, with the standard Retry-After (RFC 9110 §10.2.3). */
export class TooManyRequests extends OAuthError {
  constructor(retryAfterSeconds: number, description = "Too many requests: slow down and retry later") {
    super("too_many_requests", 429, description, true, { "Retry-After": String(retryAfterSeconds) });
  }
}

/** An enforced token quota of the application or its grant is used up until its UTC hour or day ends. */
export class QuotaExceeded extends TooManyRequests {
  constructor(description: string, retryAfterSeconds: number, headers: Record<string, string>) {
    super(retryAfterSeconds, description);
    Object.assign(this.headers, headers);
  }
}

/** The database is unreachable: say so quickly instead of hanging (RFC 6749 §4.1.2.1's code). */
export class TemporarilyUnavailable extends OAuthError {
  constructor(description = "The authorization server is temporarily unavailable; retry shortly", retryAfterSeconds = 5) {
    super("temporarily_unavailable", 503, description, true, { "Retry-After": String(retryAfterSeconds) });
  }
}

const UNEXPECTED = "The server encountered an unexpected condition";

export class ServerError extends OAuthError {
  constructor() {
    super("server_error", 500, UNEXPECTED, false);
  }
}

/** A JSON response that no cache may keep (RFC 6749 §5.1 for tokens, and every error). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): ProtocolResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The answer to a CORS preflight (a cross-origin JSON POST sends one): any origin, the endpoint's methods, the headers a client sends. */
export function preflightResponse(methods: readonly string[]): ProtocolResponse {
  return {
    status: 204,
    headers: {
      ...CORS,
      "Access-Control-Allow-Methods": methods.join(", "),
      "Access-Control-Allow-Headers": "content-type, authorization, dpop",
      "Access-Control-Max-Age": "86400",
    },
    body: "",
  };
}

/** A JSON document clients may cache (discovery, JWKS). */
export function cacheableJsonResponse(body: unknown, maxAgeSeconds = 300): ProtocolResponse {
  return {
    status: 200,
    headers: { "Content-Type": JSON_TYPE, "Cache-Control": `public, max-age=${maxAgeSeconds}`, ...CORS },
    body: JSON.stringify(body),
  };
}

/** The one writer of error bodies: `{error, error_description}`, never a stack or internal detail. */
export function errorResponse(error: unknown): ProtocolResponse {
  const known = error instanceof OAuthError ? error : isDatabaseUnavailable(error) ? new TemporarilyUnavailable() : new ServerError();
  const description = known.expose ? known.message : UNEXPECTED;
  return { ...jsonResponse(known.status, { error: known.error, error_description: description }, known.headers), error: known.error };
}
