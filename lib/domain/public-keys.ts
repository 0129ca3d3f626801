// The public keys an application signs its client assertions with
// (private_key_jwt): pasted as a JWK, a JWK Set or PEM (a public key or a
// certificate), stored as a JWK Set of public members only, each with a kid.
// Synchronous (node:crypto), so the operation's schema can own the rule.
// @see RFC 7517, RFC 7638 (thumbprints), RFC 7523 §2.2
import { createHash, createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from "node:crypto";

/**
 * What a client assertion may be signed with: never `none`, never HMAC (a
 * shared secret is what this replaces). "Ed25519" is RFC 9864's fully
 * specified name for EdDSA over Ed25519, which oauth4webapi and
 * openid-client write for Ed25519 keys.
 */
export const ASSERTION_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"] as const;
export type AssertionAlgorithm = (typeof ASSERTION_ALGORITHMS)[number];

export type PublicJwk = { kty: string; kid: string; alg?: AssertionAlgorithm; crv?: string; n?: string; e?: string; x?: string; y?: string };

export const MAX_KEYS_PER_SET = 10;
const MIN_RSA_BITS = 2048;
/** Members that only a private or symmetric key has. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

export class KeySetError extends Error {}

/** `alg`s each key type may sign with here. */
function algorithmsFor(jwk: { kty?: unknown; crv?: unknown }): readonly AssertionAlgorithm[] {
  if (jwk.kty === "RSA") return ["RS256", "PS256"];
  if (jwk.kty === "EC" && jwk.crv === "P-256") return ["ES256"];
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return ["EdDSA", "Ed25519"];
  return [];
}

/** The RFC 7638 thumbprint (SHA-256, base64url): the kid of a key that came without one. */
export function thumbprint(jwk: PublicJwk): string {
  const members =
    jwk.kty === "RSA"
      ? { e: jwk.e, kty: jwk.kty, n: jwk.n }
      : jwk.kty === "EC"
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
        : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash("sha256").update(JSON.stringify(members)).digest("base64url");
}

function publicJwk(key: KeyObject, given: Record<string, unknown>, position: string): PublicJwk {
  if (key.type !== "public") throw new KeySetError(`${position} is not a public key`);
  const exported = key.export({ format: "jwk" });
  const allowed = algorithmsFor(exported);
  if (!allowed.length) throw new KeySetError(`${position}: only RSA, EC P-256 and Ed25519 keys sign client assertions here`);
  if (exported.kty === "RSA" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw new KeySetError(`${position}: an RSA key needs at least ${MIN_RSA_BITS} bits`);
  }
  if (given.use !== undefined && given.use !== "sig") throw new KeySetError(`${position}: "use" must be "sig"`);
  if (given.alg !== undefined && !allowed.includes(given.alg as AssertionAlgorithm)) {
    throw new KeySetError(`${position}: "alg" must be ${allowed.join(" or ")} for this key`);
  }
  const jwk: PublicJwk = { kty: exported.kty!, kid: "" };
  for (const member of ["crv", "n", "e", "x", "y"] as const) if (typeof exported[member] === "string") jwk[member] = exported[member];
  if (given.alg !== undefined) jwk.alg = given.alg as AssertionAlgorithm;
  if (given.kid !== undefined && (typeof given.kid !== "string" || given.kid.length === 0 || given.kid.length > 200)) {
    throw new KeySetError(`${position}: "kid" must be a string of 1 to 200 characters`);
  }
  jwk.kid = given.kid ?? thumbprint(jwk);
  return jwk;
}

function fromJwk(value: unknown, position: string): PublicJwk {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new KeySetError(`${position} is not a JSON object`);
  const given = value as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((member) => member in given)) {
    throw new KeySetError(
      given.kty === "oct"
        ? `${position} is a symmetric key: client assertions here are signed with a private key and checked with its public key`
        : `${position} contains private key material: paste only the public key (Grantry never needs the private key)`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: given as JsonWebKey, format: "jwk" });
  } catch {
    throw new KeySetError(`${position} is not a valid public JWK`);
  }
  return publicJwk(key, given, position);
}

function fromPem(text: string): PublicJwk[] {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new KeySetError("This is a private key: paste its public key (BEGIN PUBLIC KEY) or certificate; Grantry never needs the private key");
  }
  const blocks = text.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  if (!blocks.length) throw new KeySetError("No PEM block found: paste a JWK, a JWK Set, a public key or a certificate");
  return blocks.map((block, i) => {
    const position = blocks.length > 1 ? `PEM block ${i + 1}` : "The PEM key";
    let key: KeyObject;
    try {
      key = block.startsWith("-----BEGIN CERTIFICATE-----") ? new X509Certificate(block).publicKey : createPublicKey(block);
    } catch {
      throw new KeySetError(`${position} cannot be read as a public key or certificate`);
    }
    return publicJwk(key, {}, position);
  });
}

/** A pasted key, key set or PEM as a JWK Set of public keys, or a KeySetError saying what is wrong. */
export function normaliseKeySet(input: string | Record<string, unknown>): { keys: PublicJwk[] } {
  let value: unknown = input;
  if (typeof input === "string") {
    const text = input.trim();
    if (text.startsWith("-----BEGIN")) return checked(fromPem(text));
    try {
      value = JSON.parse(text);
    } catch {
      throw new KeySetError("Not JSON or PEM: paste a JWK, a JWK Set, a public key or a certificate");
    }
  }
  if (typeof value === "object" && value !== null && "keys" in value) {
    const keys = value.keys;
    if (!Array.isArray(keys) || keys.length === 0) throw new KeySetError('A JWK Set needs a non-empty "keys" array');
    return checked(keys.map((key, i) => fromJwk(key, `Key ${i + 1}`)));
  }
  return checked([fromJwk(value, "The key")]);
}

function checked(keys: PublicJwk[]): { keys: PublicJwk[] } {
  if (keys.length > MAX_KEYS_PER_SET) throw new KeySetError(`At most ${MAX_KEYS_PER_SET} keys per key set`);
  const kids = new Set(keys.map((key) => key.kid));
  if (kids.size !== keys.length) throw new KeySetError('Two keys share one "kid"');
  return { keys };
}

/** The most keys read from a fetched JWK Set. */
const MAX_REMOTE_KEYS = 100;

/**
 * The keys of a fetched JWK Set (a jwks_uri, a federated issuer's) that sign
 * assertions here. Others (encryption keys, other curves, short RSA) are
 * skipped rather than failing the set: an issuer's JWKS may hold them beside
 * the keys that matter. A KeySetError when none is usable.
 */
export function usableKeysOf(body: unknown): PublicJwk[] {
  const list = typeof body === "object" && body !== null && Array.isArray((body as { keys?: unknown }).keys) ? (body as { keys: unknown[] }).keys : null;
  if (!list) throw new KeySetError('Its answer is not a JWK Set (no "keys" array)');
  const keys: PublicJwk[] = [];
  for (const [i, entry] of list.slice(0, MAX_REMOTE_KEYS).entries()) {
    try {
      keys.push(fromJwk(entry, `Key ${i + 1}`));
    } catch (error) {
      if (!(error instanceof KeySetError)) throw error;
    }
  }
  if (!keys.length) throw new KeySetError("Its JWK Set holds no RSA, EC P-256 or Ed25519 signing key");
  return keys;
}
