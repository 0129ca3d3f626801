// One error type for everything getToken() and fetch() can fail with, named by
// the RFC 6749 §5.2 code the token endpoint sent, or the code that describes a
// failure it could not send (the endpoint unreachable: temporarily_unavailable;
// an answer that is no token response: server_error).

/** RFC 6749 §5.2, RFC 8707 §2 (invalid_target), RFC 9449 §12.2 (DPoP), and the rate-limit code Grantry and Auth0 send. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "invalid_dpop_proof"
  | "use_dpop_nonce"
  | "server_error"
  | "temporarily_unavailable"
  | "too_many_requests"
  | (string & {});

export type TokenErrorDetails = {
  /** The HTTP status of the token endpoint's answer, when there was one. */
  status?: number;
  description?: string;
  uri?: string;
  /** Seconds the server asked the client to wait (Retry-After), when it did. */
  retryAfter?: number;
  cause?: unknown;
};

export class TokenError extends Error {
  readonly code: OAuthErrorCode;
  readonly status?: number;
  readonly description?: string;
  readonly uri?: string;
  readonly retryAfter?: number;

  constructor(code: OAuthErrorCode, details: TokenErrorDetails = {}) {
    super(details.description ? `${code}: ${details.description}` : code, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "TokenError";
    this.code = code;
    this.status = details.status;
    this.description = details.description;
    this.uri = details.uri;
    this.retryAfter = details.retryAfter;
  }
}

/** True for a TokenError from any copy of this package (ESM and CommonJS builds are separate classes). */
export function isTokenError(value: unknown): value is TokenError {
  return value instanceof TokenError || (value instanceof Error && value.name === "TokenError" && typeof (value as { code?: unknown }).code === "string");
}
