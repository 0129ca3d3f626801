// Compact JWS signing with node:crypto, for the two JWTs a client makes:
// private_key_jwt client assertions (RFC 7523) and DPoP proofs (RFC 9449).
// node:crypto rather than a JOSE library keeps the package free of runtime
// dependencies; the tests verify every algorithm's output with jose.
import { createHash, createPrivateKey, createPublicKey, sign, constants, type JsonWebKey, type KeyObject } from "node:crypto";

export type SigningAlgorithm = "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512" | "EdDSA";

/** A private key: a KeyObject, a PEM string, or a private JWK. */
export type PrivateKeyInput = KeyObject | string | JsonWebKey;

export type Signer = { alg: SigningAlgorithm; key: KeyObject; publicJwk: JsonWebKey };

const EC_ALGS: Record<string, SigningAlgorithm> = { prime256v1: "ES256", secp384r1: "ES384", secp521r1: "ES512" };
const EC_CURVES: Record<string, string> = { ES256: "prime256v1", ES384: "secp384r1", ES512: "secp521r1" };

export function importPrivateKey(input: PrivateKeyInput): KeyObject {
  if (typeof input === "string") return createPrivateKey(input);
  if ("asymmetricKeyType" in input && typeof (input as KeyObject).export === "function") {
    const key = input as KeyObject;
    if (key.type !== "private") throw new TypeError("The key must be a private key");
    return key;
  }
  return createPrivateKey({ key: input as JsonWebKey, format: "jwk" });
}

/** The key's algorithm: the one asked for, checked against the key, or the usual one for its type. */
export function signerFor(input: PrivateKeyInput, alg?: SigningAlgorithm): Signer {
  const key = importPrivateKey(input);
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  let chosen: SigningAlgorithm | undefined;
  if (type === "rsa") chosen = alg ?? "RS256";
  else if (type === "rsa-pss") chosen = alg ?? "PS256";
  else if (type === "ec") chosen = alg ?? (curve ? EC_ALGS[curve] : undefined);
  else if (type === "ed25519") chosen = alg ?? "EdDSA";
  if (!chosen) throw new TypeError(`Unsupported key type ${type}${curve ? ` (${curve})` : ""}: use RSA, EC P-256/384/521 or Ed25519`);
  const family = chosen.slice(0, 2);
  const fits =
    (family === "RS" && type === "rsa") ||
    (family === "PS" && (type === "rsa" || type === "rsa-pss")) ||
    (family === "ES" && type === "ec" && EC_CURVES[chosen] === curve) ||
    (chosen === "EdDSA" && type === "ed25519");
  if (!fits) throw new TypeError(`A ${type}${curve ? ` ${curve}` : ""} key cannot sign ${chosen}`);
  const jwk = createPublicKey(key).export({ format: "jwk" });
  const publicJwk: JsonWebKey =
    jwk.kty === "RSA"
      ? { kty: "RSA", n: jwk.n, e: jwk.e }
      : jwk.kty === "EC"
        ? { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y }
        : { kty: "OKP", crv: jwk.crv, x: jwk.x };
  return { alg: chosen, key, publicJwk };
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function signJwt(signer: Signer, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64url(JSON.stringify({ ...header, alg: signer.alg }))}.${b64url(JSON.stringify(payload))}`;
  const bits = Number(signer.alg.slice(2)) || 0;
  const hash = signer.alg === "EdDSA" ? null : `sha${bits}`;
  let signature: Buffer;
  if (signer.alg.startsWith("PS")) {
    signature = sign(hash, Buffer.from(input), { key: signer.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 });
  } else if (signer.alg.startsWith("ES")) {
    signature = sign(hash, Buffer.from(input), { key: signer.key, dsaEncoding: "ieee-p1363" });
  } else {
    signature = sign(hash, Buffer.from(input), signer.key);
  }
  return `${input}.${b64url(signature)}`;
}

/** RFC 7638: SHA-256 of the required members in lexicographic order. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === "RSA"
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : jwk.kty === "EC"
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
        : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

export function sha256b64url(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}
