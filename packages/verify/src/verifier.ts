// createVerifier: JWT access tokens checked as RFC 9068 §4 asks of a resource
// server — typ at+jwt, the issuer, this API in aud, a signature by one of the
// issuer's keys with an algorithm on the allow-list (never none, never an HMAC
// the public key could be abused as), exp, nbf and iat with a clock
// tolerance, and the claims §2.2 makes required — plus scopes and DPoP.
import { jwtVerify, type JWTPayload } from "jose";
import { dpopChecker, type DpopOptions } from "./dpop.js";
import { errorAnswer, VerifyError, type ErrorAnswer } from "./errors.js";
import { keySet } from "./keys.js";
import { readCredentials, type HeaderSource } from "./request.js";

/** The claims of a verified access token (RFC 9068 §2.2), and whatever else it carries. */
export type AccessTokenClaims = {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope?: string;
  nbf?: number;
  /** RFC 9449 §6.1: the thumbprint of the key a DPoP-bound token is bound to. */
  cnf?: { jkt?: string; [member: string]: unknown };
  [claim: string]: unknown;
};

/** A verified request: the token, its claims and its scopes. */
export type AuthInfo = { token: string; scheme: "Bearer" | "DPoP"; claims: AccessTokenClaims; scopes: string[] };

export type VerifierOptions = {
  /** The issuer identifier, exactly as tokens name it in iss. */
  issuer: string;
  /** This API's identifier: a token must name it (or one of them) in aud. */
  audience: string | string[];
  /** Signature algorithms accepted (default: RS/PS/ES 256–512 and EdDSA; HMAC and none are refused). */
  algorithms?: string[];
  /** The JWKS URL; by default read from the issuer's metadata. */
  jwksUri?: string;
  /** Seconds of clock difference tolerated for exp, nbf and iat (default 5). */
  clockTolerance?: number;
  /** Refuse tokens issued longer ago than this (seconds; default: no limit but exp). */
  maxTokenAge?: number;
  /** Refresh the cached keys after this long (ms, default 10 minutes). */
  jwksMaxAge?: number;
  /** At most one key-set fetch for an unknown kid per this long (ms, default 30 s). */
  jwksCooldown?: number;
  /** Timeout of a metadata or key-set fetch (ms, default 5 s). */
  jwksTimeout?: number;
  /** The realm named in WWW-Authenticate challenges. */
  realm?: string;
  /** DPoP (RFC 9449): whether it is required, and the proofs' maximum age. */
  dpop?: DpopOptions;
  /** The fetch used for discovery and the key set (default globalThis.fetch). */
  fetch?: typeof fetch;
};

/** What authenticate() needs of a request: its method, full URL (for DPoP) and headers. */
export type RequestLike = { method: string; url: string; headers: HeaderSource };

export type Verifier = {
  /** Verifies a token; DPoP-bound tokens need the request's proof (`dpop`), or use authenticate(). */
  verify(token: string, options?: { dpop?: { method: string; url: string; proof: string } }): Promise<AccessTokenClaims>;
  /** Reads the Authorization (and DPoP) headers of a request and verifies them; throws VerifyError. */
  authenticate(request: RequestLike, options?: { scopes?: string[] }): Promise<AuthInfo>;
  /** The HTTP answer for an error authenticate() threw (RFC 6750 §3, RFC 9449 §7.1). */
  errorAnswer(error: VerifyError): ErrorAnswer;
};

export const DEFAULT_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];
const REQUIRED_CLAIMS = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"];

/** The scopes of a token's scope claim (RFC 9068 §2.2.3: space-delimited). */
export function scopesOf(claims: { scope?: unknown }): string[] {
  return typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
}

/** Throws insufficient_scope (403) unless the token carries every one of `scopes`. */
export function requireScopes(claims: { scope?: unknown }, scopes: string[]): void {
  const held = new Set(scopesOf(claims));
  const missing = scopes.filter((s) => !held.has(s));
  if (missing.length) throw new VerifyError("insufficient_scope", `The access token lacks the scope ${missing.join(" ")}`, { scopes });
}

const invalid = (description: string, cause?: unknown) => new VerifyError("invalid_token", description, { cause });

/** A jose failure as the answer's description: which check failed, no more. */
function describe(error: unknown): VerifyError {
  if (error instanceof VerifyError) return error;
  const { code, claim } = error as { code?: string; claim?: string };
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return invalid("The access token has expired", error);
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return invalid("The access token is signed with an algorithm this API does not accept", error);
    case "ERR_JWKS_NO_MATCHING_KEY":
      return invalid("The access token is signed with a key the issuer does not publish", error);
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return invalid("The access token's signature is invalid", error);
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (claim === "typ") return invalid("The access token is not an RFC 9068 access token (typ at+jwt)", error);
      if (claim === "iss") return invalid("The access token is from another issuer", error);
      if (claim === "aud") return invalid("The access token is for another audience", error);
      if (claim === "nbf") return invalid("The access token is not valid yet", error);
      if (claim === "iat") return invalid("The access token was issued in the future", error);
      if ((error as Error).message.includes("missing")) return invalid(`The access token has no ${claim} claim`, error);
      return invalid(`The access token's ${claim} claim is invalid`, error);
    default:
      return invalid("The access token is malformed", error);
  }
}

export function createVerifier(options: VerifierOptions): Verifier {
  if (!options.issuer) throw new TypeError("issuer is required");
  const audience = Array.isArray(options.audience) ? options.audience : [options.audience];
  if (!audience.length || audience.some((a) => !a)) throw new TypeError("audience is required");
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  const unsafe = algorithms.filter((alg) => alg === "none" || /^HS/.test(alg));
  // A public key used as an HMAC secret would let anyone sign: refuse the configuration, not just the token.
  if (unsafe.length || !algorithms.length)
    throw new TypeError(`algorithms must be asymmetric signature algorithms (refused: ${unsafe.join(", ") || "an empty list"})`);
  const clockTolerance = options.clockTolerance ?? 5;
  const keys = keySet({
    issuer: options.issuer,
    jwksUri: options.jwksUri,
    maxAge: options.jwksMaxAge ?? 600_000,
    cooldown: options.jwksCooldown ?? 30_000,
    timeout: options.jwksTimeout ?? 5000,
    fetch: options.fetch,
  });
  const dpop = dpopChecker(options.dpop ?? {}, algorithms, clockTolerance);
  const dpopRequired = options.dpop?.required === true;
  const jwtOptions = {
    issuer: options.issuer,
    audience,
    algorithms,
    typ: "at+jwt",
    clockTolerance,
    maxTokenAge: options.maxTokenAge,
    requiredClaims: REQUIRED_CLAIMS,
  };

  async function verify(token: string, verifyOptions: { dpop?: { method: string; url: string; proof: string } } = {}): Promise<AccessTokenClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.getKey, jwtOptions));
    } catch (error) {
      throw describe(error);
    }
    // jose checks iat only against maxTokenAge: a token from the future is refused here too.
    if ((payload.iat as number) > Date.now() / 1000 + clockTolerance) throw invalid("The access token was issued in the future");
    if (typeof payload.client_id !== "string") throw invalid("The access token's client_id claim is invalid");
    const cnf = payload.cnf as AccessTokenClaims["cnf"];
    const jkt = cnf && typeof cnf === "object" ? cnf.jkt : undefined;
    if (verifyOptions.dpop) {
      if (typeof jkt !== "string") throw new VerifyError("invalid_token", "The access token is not DPoP-bound: send it as a Bearer token", { scheme: "DPoP" });
      await dpop.check(verifyOptions.dpop, token, jkt);
    } else if (jkt !== undefined) {
      // RFC 9449 §7.2: a bound token without its proof is as good as stolen.
      throw invalid("The access token is DPoP-bound: send it with the DPoP scheme and a proof");
    }
    return payload as AccessTokenClaims;
  }

  async function authenticate(request: RequestLike, authOptions: { scopes?: string[] } = {}): Promise<AuthInfo> {
    const scheme = dpopRequired ? "DPoP" : "Bearer";
    const credentials = readCredentials(request.headers, scheme);
    if (dpopRequired && credentials.scheme === "Bearer") throw new VerifyError("invalid_token", "This API accepts DPoP-bound tokens only", { scheme: "DPoP" });
    const viaDpop = credentials.scheme === "DPoP";
    try {
      const claims = await verify(credentials.token, viaDpop ? { dpop: { method: request.method, url: request.url, proof: credentials.proof ?? "" } } : {});
      if (authOptions.scopes?.length) requireScopes(claims, authOptions.scopes);
      return { token: credentials.token, scheme: credentials.scheme, claims, scopes: scopesOf(claims) };
    } catch (error) {
      const refusal = describe(error);
      throw viaDpop ? refusal.withScheme("DPoP") : refusal;
    }
  }

  return {
    verify,
    authenticate,
    errorAnswer: (error) => errorAnswer(error, { realm: options.realm, dpopAlgorithms: dpop.algorithms }),
  };
}
