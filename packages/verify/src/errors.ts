// Why a request was refused, and the answer that says so: RFC 6750 §3 for
// Bearer tokens (400 invalid_request, 401 invalid_token, 403
// insufficient_scope, and a bare challenge when no token was sent at all),
// RFC 9449 §7.1 for DPoP, and 503 when the issuer's keys cannot be fetched
// (the token may be fine: that is no reason to call it invalid).

/**
 * `missing_token`: the request carried no credentials; the challenge names no
 * error (RFC 6750 §3.1). `temporarily_unavailable`: the keys could not be
 * fetched. The others are the error codes of RFC 6750 §3.1 and RFC 9449 §7.1.
 */
export type VerifyErrorCode = "missing_token" | "invalid_request" | "invalid_token" | "insufficient_scope" | "invalid_dpop_proof" | "temporarily_unavailable";

const STATUS: Record<VerifyErrorCode, number> = {
  missing_token: 401,
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_dpop_proof: 401,
  temporarily_unavailable: 503,
};

export class VerifyError extends Error {
  readonly code: VerifyErrorCode;
  readonly status: number;
  readonly description: string;
  /** The scheme the answer challenges with: DPoP when the request used it or the verifier requires it. */
  readonly scheme: "Bearer" | "DPoP";
  /** For insufficient_scope: the scopes the request needs. */
  readonly scopes?: string[];

  constructor(code: VerifyErrorCode, description: string, options: { scheme?: "Bearer" | "DPoP"; scopes?: string[]; cause?: unknown } = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "VerifyError";
    this.code = code;
    this.status = STATUS[code];
    this.description = description;
    this.scheme = options.scheme ?? "Bearer";
    this.scopes = options.scopes;
  }

  /** The same error, challenging with another scheme. */
  withScheme(scheme: "Bearer" | "DPoP"): VerifyError {
    return scheme === this.scheme ? this : new VerifyError(this.code, this.description, { scheme, scopes: this.scopes, cause: this.cause });
  }
}

/** True for a VerifyError from any copy of this package (its ESM and CommonJS builds are separate classes). */
export function isVerifyError(value: unknown): value is VerifyError {
  return value instanceof VerifyError || (value instanceof Error && value.name === "VerifyError" && typeof (value as { status?: unknown }).status === "number");
}

/** An HTTP answer in plain terms, for any framework: status, headers and a JSON body. */
export type ErrorAnswer = { status: number; headers: Record<string, string>; body: { error?: string; error_description: string; scope?: string } };

export type ChallengeOptions = { realm?: string; /** DPoP challenges list the proof algorithms accepted (RFC 9449 §7.1). */ dpopAlgorithms?: string[] };

// RFC 6750 §3 allows no quote or backslash in error_description: the descriptions here have none, and a quoted-string escape (RFC 7235) keeps the header well-formed if one ever did.
const quote = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function errorAnswer(error: VerifyError, options: ChallengeOptions = {}): ErrorAnswer {
  const body: ErrorAnswer["body"] = { error_description: error.description };
  if (error.code === "temporarily_unavailable") {
    return {
      status: 503,
      headers: { "content-type": "application/json", "cache-control": "no-store", "retry-after": "5" },
      body: { error: error.code, ...body },
    };
  }
  const params: string[] = [];
  if (options.realm !== undefined) params.push(`realm=${quote(options.realm)}`);
  if (error.code !== "missing_token") {
    params.push(`error=${quote(error.code)}`, `error_description=${quote(error.description)}`);
    body.error = error.code;
  }
  if (error.code === "insufficient_scope" && error.scopes?.length) {
    params.push(`scope=${quote(error.scopes.join(" "))}`);
    body.scope = error.scopes.join(" ");
  }
  if (error.scheme === "DPoP" && options.dpopAlgorithms?.length) params.push(`algs=${quote(options.dpopAlgorithms.join(" "))}`);
  const challenge = params.length ? `${error.scheme} ${params.join(", ")}` : error.scheme;
  return {
    status: error.status,
    headers: { "content-type": "application/json", "cache-control": "no-store", "www-authenticate": challenge },
    body: { ...(body.error ? { error: body.error } : {}), error_description: body.error_description, ...(body.scope ? { scope: body.scope } : {}) },
  };
}
