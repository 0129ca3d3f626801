// Compact JWS signing of access tokens with node:crypto's sign(), run on
// libuv's thread pool. jose's SignJWT signs through WebCrypto, whose
// per-call machinery (algorithm normalisation, WebIDL conversion, a
// structuredClone, the job's promise) cost 84 µs of CPU per ES256 token
// against 59 µs here, 46 of them on the event loop against 17
// (docs/decisions/0004-signing.md). The serialisation is RFC 7515 §7.1's, and
// every test verifies these tokens with jose against the JWKS.
// @see RFC 7515 §7.1, RFC 7518 §3.1 (alg values), RFC 8037 §3.1 (EdDSA)
import { constants, createPrivateKey, sign, type KeyObject, type SignKeyObjectInput, type SignPrivateKeyInput } from "node:crypto";
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
