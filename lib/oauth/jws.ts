// Compact JWS signing (access tokens) and verification (client assertions,
// DPoP proofs) with node:crypto's sign() and verify(), run on libuv's thread
// pool. jose's SignJWT signs through WebCrypto, whose
// per-call machinery (algorithm normalisation, WebIDL conversion, a
// structuredClone, the job's promise) cost 84 µs of CPU per ES256 token
// against 59 µs here, 46 of them on the event loop against 17
// (docs/decisions/0004-signing.md). The serialisation is RFC 7515 §7.1's, and
// every test verifies these tokens with jose against the JWKS.
// @see RFC 7515 §7.1, RFC 7518 §3.1 (alg values), RFC 8037 §3.1 (EdDSA)
import { constants, createPrivateKey, sign, verify, type KeyObject, type SignKeyObjectInput, type SignPrivateKeyInput } from "node:crypto";
import type { SigningAlgorithm } from "@/lib/domain/schemas";

type Signer = {
  /** The digest node:crypto applies; null for Ed25519, which hashes internally. */
  digest: "sha256" | null;
  options: Omit<SignKeyObjectInput & SignPrivateKeyInput, "key">;
  accepts: (key: KeyObject) => boolean;
};

const isRsa = (key: KeyObject) => key.asymmetricKeyType === "rsa";

const SIGNERS: Record<SigningAlgorithm, Signer> = {
  RS256: { digest: "sha256", options: {}, accepts: isRsa },
  // RFC 7518 §3.5: the salt is as long as the hash's output.
  PS256: { digest: "sha256", options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, accepts: isRsa },
  // RFC 7518 §3.4: R and S concatenated, not DER.
  ES256: {
    digest: "sha256",
    options: { dsaEncoding: "ieee-p1363" },
    accepts: (key) => key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1",
  },
  EdDSA: { digest: null, options: {}, accepts: (key) => key.asymmetricKeyType === "ed25519" },
};

/** A PKCS #8 private key, refused unless it is the kind `alg` signs with (node:crypto would otherwise sign with any). */
export function importSigningKey(pkcs8: string, alg: SigningAlgorithm): KeyObject {
  const key = createPrivateKey(pkcs8);
  if (!SIGNERS[alg].accepts(key)) throw new Error(`A ${key.asymmetricKeyType ?? "symmetric"} key cannot sign ${alg}`);
  return key;
}

const encode = (value: object) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

/** `header.payload.signature`, each part base64url-encoded. */
export function signCompactJws(header: { alg: SigningAlgorithm } & Record<string, unknown>, payload: object, key: KeyObject): Promise<string> {
  const signer = SIGNERS[header.alg];
  const input = `${encode(header)}.${encode(payload)}`;
  return new Promise((resolve, reject) => {
    sign(signer.digest, Buffer.from(input, "latin1"), { ...signer.options, key }, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString("base64url")}`);
    });
  });
}

/** What a JWT we verify may be signed with: the signing algorithms, and "Ed25519" (RFC 9864's fully specified EdDSA over Ed25519). */
export type VerifyAlgorithm = SigningAlgorithm | "Ed25519";

/** Whether `key` is of the kind `alg` verifies with: node:crypto would otherwise try any key. */
export function keyFitsAlgorithm(key: KeyObject, alg: VerifyAlgorithm): boolean {
  return SIGNERS[alg === "Ed25519" ? "EdDSA" : alg].accepts(key);
}

export class MalformedJws extends Error {}

export type DecodedJws = { header: Record<string, unknown>; payload: Record<string, unknown>; input: string; signature: Buffer };

/** Base64url without padding (RFC 7515 §2), the alphabet of every JWS part and JWK member. */
export const BASE64URL = /^[A-Za-z0-9_-]*$/;

function part(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new MalformedJws(`not a signed JWT: its ${what} is not base64url-encoded JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new MalformedJws(`not a signed JWT: its ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** A header segment its caller decoded and checked before, and what it decoded to. */
export type KnownHeader = { segment: string; header: Record<string, unknown> };

/**
 * A compact JWS's parts, decoded but not verified; MalformedJws says what is
 * wrong with its shape. `known`: a header segment decoded before (a client
 * signs every DPoP proof with the same header); when it is this token's, only
 * the payload is decoded.
 */
export function decodeCompactJws(token: string, known?: KnownHeader): DecodedJws {
  const parts = token.split(".");
  const reuse = known !== undefined && parts[0] === known.segment;
  if (parts.length !== 3 || !parts.every((p, i) => (i === 0 && reuse) || BASE64URL.test(p))) {
    throw new MalformedJws("not a signed JWT (JWS compact serialization)");
  }
  const [header, payload, signature] = parts as [string, string, string];
  const decodedHeader = reuse ? known.header : part(header, "header");
  // RFC 7515 §4.1.11: an extension the recipient does not understand must be refused, and this server understands none.
  if ("crit" in decodedHeader) throw new MalformedJws('its header has "crit" extensions, which are not supported');
  return { header: decodedHeader, payload: part(payload, "payload"), input: `${header}.${payload}`, signature: Buffer.from(signature, "base64url") };
}

/** Whether `jws`'s signature verifies with `key` under `alg` (false, not an error, for a key of another kind). */
export function verifyCompactJws(jws: DecodedJws, alg: VerifyAlgorithm, key: KeyObject): Promise<boolean> {
  if (!keyFitsAlgorithm(key, alg)) return Promise.resolve(false);
  const signer = SIGNERS[alg === "Ed25519" ? "EdDSA" : alg];
  return new Promise((resolve) => {
    verify(signer.digest, Buffer.from(jws.input, "latin1"), { ...signer.options, key }, jws.signature, (error, valid) => resolve(!error && valid));
  });
}
