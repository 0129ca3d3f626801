// Checking a DPoP proof against the request and the token it came with
// (RFC 9449 §4.3 and §7.1): a dpop+jwt signed by the public key in its own
// header, for this method and URL, recent, never seen before, carrying the
// access token's hash, and made with the key the token is bound to (cnf.jkt).
import { createHash } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from "jose";
import { VerifyError } from "./errors.js";

export type DpopOptions = {
  /** Require DPoP: Bearer tokens are refused (default false: DPoP-bound tokens need a proof, Bearer tokens are accepted). */
  required?: boolean;
  /** How old a proof may be, by its iat (seconds, default 60; clockTolerance is added both ways). */
  maxAge?: number;
  /** Proof signing algorithms accepted (default: the asymmetric ones also accepted for tokens). */
  algorithms?: string[];
};

export type DpopRequest = { method: string; url: string; proof: string };

const invalidProof = (description: string, cause?: unknown) => new VerifyError("invalid_dpop_proof", description, { scheme: "DPoP", cause });

/** htu compared as RFC 9449 §4.3 says: without query and fragment, scheme and host normalised (RFC 3986 §6.2.2, §6.2.3). */
function normaliseUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Seen proof ids (jti), each kept until its proof would be too old anyway. */
class ReplayCache {
  private readonly seen = new Map<string, number>();
  private nextSweep = 0;
  constructor(private readonly limit = 100_000) {}

  /** False when `jti` was seen before (a replay). */
  add(jti: string, keepUntil: number, now: number): boolean {
    if (now >= this.nextSweep || this.seen.size >= this.limit) this.sweep(now);
    const until = this.seen.get(jti);
    if (until !== undefined && until > now) return false;
    // Full of live ids: refuse rather than forget one (forgetting would let a replay through).
    if (this.seen.size >= this.limit) return false;
    this.seen.set(jti, keepUntil);
    return true;
  }

  private sweep(now: number) {
    for (const [jti, until] of this.seen) if (until <= now) this.seen.delete(jti);
    this.nextSweep = now + 10_000;
  }
}

export type DpopChecker = { check(request: DpopRequest, accessToken: string, jkt: string): Promise<void>; algorithms: string[] };

export function dpopChecker(options: DpopOptions, defaultAlgorithms: string[], clockTolerance: number): DpopChecker {
  const algorithms = options.algorithms ?? defaultAlgorithms;
  const maxAge = options.maxAge ?? 60;
  const replays = new ReplayCache();
  return {
    algorithms,
    async check(request, accessToken, jkt) {
      // Two DPoP headers arrive joined by a comma, which a JWT cannot contain (§4.3 step 1).
      if (!request.proof || request.proof.includes(",")) throw invalidProof("Send exactly one DPoP proof");
      let header: ReturnType<typeof decodeProtectedHeader>;
      let payload: Record<string, unknown>;
      try {
        header = decodeProtectedHeader(request.proof);
        ({ payload } = await jwtVerify(request.proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms }));
      } catch (error) {
        throw invalidProof("The DPoP proof is invalid", error);
      }
      if (typeof payload.jti !== "string" || !payload.jti) throw invalidProof("The DPoP proof has no jti");
      if (payload.htm !== request.method.toUpperCase()) throw invalidProof("The DPoP proof is for another method");
      const htu = typeof payload.htu === "string" ? normaliseUrl(payload.htu) : undefined;
      if (!htu || htu !== normaliseUrl(request.url)) throw invalidProof("The DPoP proof is for another URL");
      const now = Date.now() / 1000;
      if (typeof payload.iat !== "number") throw invalidProof("The DPoP proof has no iat");
      if (payload.iat > now + clockTolerance || payload.iat < now - maxAge - clockTolerance) throw invalidProof("The DPoP proof is too old or from the future");
      const ath = createHash("sha256").update(accessToken).digest("base64url");
      if (payload.ath !== ath) throw invalidProof("The DPoP proof is not for this access token");
      // The token is bound to a key: the proof must be signed with that very key (§6.1).
      if ((await calculateJwkThumbprint(header.jwk!, "sha256")) !== jkt) {
        throw new VerifyError("invalid_token", "The access token is bound to another key than the DPoP proof's", { scheme: "DPoP" });
      }
      const keepUntil = (payload.iat + maxAge + 2 * clockTolerance) * 1000;
      if (!replays.add(`${jkt}:${payload.jti}`, keepUntil, Date.now())) throw invalidProof("The DPoP proof was used before");
    },
  };
}
