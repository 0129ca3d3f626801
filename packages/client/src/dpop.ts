// DPoP proofs (RFC 9449 §4): one fresh JWT per request, naming the method and
// URL, carrying the public key, and for a resource request the access token's
// hash. Servers may demand a nonce (§8, §9): the last one each origin sent is
// remembered and included.
import { randomUUID } from "node:crypto";
import { jwkThumbprint, sha256b64url, signJwt, signerFor, type PrivateKeyInput, type Signer, type SigningAlgorithm } from "./jws.js";

export type DpopOptions = { privateKey: PrivateKeyInput; alg?: SigningAlgorithm };

export type Dpop = {
  /** RFC 7638 thumbprint of the public key: what a bound token's cnf.jkt names. */
  jkt: string;
  proof(method: string, url: string, accessToken?: string): string;
  /** Remembers the DPoP-Nonce header of an answer; true when it is new (worth one retry). */
  rememberNonce(url: string, response: Response): boolean;
};

/** htu: the URL without query and fragment (RFC 9449 §4.2). */
function htu(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

export function createDpop(options: DpopOptions): Dpop {
  const signer: Signer = signerFor(options.privateKey, options.alg);
  const nonces = new Map<string, string>();
  return {
    jkt: jwkThumbprint(signer.publicJwk),
    proof(method, url, accessToken) {
      const nonce = nonces.get(new URL(url).origin);
      const payload: Record<string, unknown> = { jti: randomUUID(), htm: method.toUpperCase(), htu: htu(url), iat: Math.floor(Date.now() / 1000) };
      if (nonce) payload.nonce = nonce;
      if (accessToken) payload.ath = sha256b64url(accessToken);
      return signJwt(signer, { typ: "dpop+jwt", jwk: signer.publicJwk }, payload);
    },
    rememberNonce(url, response) {
      const nonce = response.headers.get("dpop-nonce");
      if (!nonce) return false;
      const origin = new URL(url).origin;
      const known = nonces.get(origin);
      nonces.set(origin, nonce);
      return known !== nonce;
    },
  };
}
