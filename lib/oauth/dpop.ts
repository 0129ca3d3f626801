// DPoP (RFC 9449): a client proves, with each token request, that it holds a
// private key; the token it gets is bound to that key's thumbprint
// (`cnf.jkt`), so a stolen token is useless without the key. Proofs are
// checked with node:crypto's verify() on libuv's thread pool rather than
// jose, for the reason lib/oauth/jws.ts signs that way. Checked in the order
// that costs an attacker most and us least: size and shape, header, claims
// and nonce, then the signature, then the one-time use of `jti` (only a valid
// proof can spend one). Decoding and verification are lib/oauth/jws.ts's, as
// for client assertions.
// @see RFC 9449 §4.2, §4.3, §5, §8; RFC 7638 (thumbprint); RFC 7518 §3
import { createHmac, createPublicKey, hash, randomBytes, timingSafeEqual, type JsonWebKey, type KeyObject } from "node:crypto";
import { env } from "@/lib/env";
import { printable } from "./body";
import { InvalidDpopProof, UseDpopNonce } from "./errors";
import { BASE64URL, decodeCompactJws, MalformedJws, verifyCompactJws, type KnownHeader } from "./jws";
import { firstUse } from "./replay";
import type { HeaderMap } from "./types";

export const DPOP_ALGORITHMS = ["ES256", "PS256", "RS256", "EdDSA"] as const;
export type DpopAlgorithm = (typeof DPOP_ALGORITHMS)[number];

/** A proof with an RSA-4096 key is about 1.5 KB; anything near this is not a proof. */
export const MAX_PROOF_LENGTH = 8192;
/** How far `iat` may be from now, either way: a proof is made for one request. */
export const PROOF_WINDOW_S = 60;
/** Added to the window for clocks that drift. */
const CLOCK_TOLERANCE_S = 5;
const MAX_JTI_LENGTH = 256;
/** A nonce is good for the slot it was issued in and the next one: 5 to 10 minutes. */
const NONCE_SLOT_MS = 5 * 60_000;
/** Private members of EC, RSA, OKP and symmetric JWKs (RFC 7518 §6, RFC 8037 §2). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

const refused = (reason: string) => new InvalidDpopProof(`DPoP proof refused: ${reason}`);

/** The key type (and curve) each algorithm verifies with. */
const KEY_TYPES: Record<DpopAlgorithm, { kty: string; crv?: string }> = {
  ES256: { kty: "EC", crv: "P-256" },
  PS256: { kty: "RSA" },
  RS256: { kty: "RSA" },
  EdDSA: { kty: "OKP", crv: "Ed25519" },
};

/** The members RFC 7638 §3.2 hashes, in lexicographic order, per key type. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = { EC: ["crv", "kty", "x", "y"], RSA: ["e", "kty", "n"], OKP: ["crv", "kty", "x"] };

/** The one `DPoP` header of a request, or undefined. Two are refused (§4.3 item 1): node joins repeats with ", ", and a JWS has no comma. */
export function readDpopHeader(headers: HeaderMap): string | undefined {
  const value = headers.dpop;
  if (value === undefined) return undefined;
  if (Array.isArray(value) ? value.length !== 1 : value.includes(",")) throw refused("send exactly one DPoP header");
  const proof = (Array.isArray(value) ? value[0]! : value).trim();
  if (proof === "") throw refused("the DPoP header is empty");
  return proof;
}

/**
 * The longest base64url form of each key member: a P-256 coordinate or an
 * Ed25519 key is 32 octets (43 characters), an RSA modulus at most 4,096 bits
 * plus the leading zero some libraries add (684), an exponent a few octets.
 * Node's import accepts padding and leading zeros of any length, so unbounded
 * one key could be spelt in endless ways, each a key-cache entry as long as a
 * proof.
 */
const MAX_MEMBER_CHARS: Record<string, number> = { x: 43, y: 43, n: 684, e: 8 };

/** RFC 7638 §3: the required members, in order, as JSON with no whitespace (what the thumbprint hashes). */
function canonicalJwk(jwk: Record<string, unknown>): string {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)];
  if (!members) throw refused(`"jwk" has an unsupported "kty"`);
  const canonical: Record<string, string> = {};
  for (const name of members) {
    const value = jwk[name];
    if (typeof value !== "string" || value === "") throw refused(`"jwk" lacks "${name}"`);
    const max = MAX_MEMBER_CHARS[name];
    if (max !== undefined && (value.length > max || !BASE64URL.test(value))) {
      throw refused(`"jwk" member "${name}" must be base64url of at most ${max} characters`);
    }
    canonical[name] = value;
  }
  return JSON.stringify(canonical);
}

/** RFC 7638: SHA-256 over the required members, in order, with no whitespace; base64url. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  return hash("sha256", canonicalJwk(jwk), "base64url");
}

// Keys by their canonical members, the thumbprint's input: a client signs
// every proof with one key, and those members are the whole public key, so
// a proof from a known key costs neither an import nor a hash. Bounded in
// entries (cleared when full) and, by MAX_MEMBER_CHARS, in their size.
const keyCache = new Map<string, PublicKeyOf>();
const MAX_CACHED_KEYS = 10_000;

/** A proof's public key, its RFC 7638 thumbprint, and the members the thumbprint hashes (RFC 7638 §3.2, as JSON). */
type PublicKeyOf = { key: KeyObject; jkt: string; canonical: string };

/** The header's public key, refused if private, of another type than `alg` needs, or too weak. */
function publicKeyOf(jwk: unknown, alg: DpopAlgorithm): PublicKeyOf {
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) throw refused('the header must carry the public key as a "jwk" object');
  const members = jwk as Record<string, unknown>;
  const secret = PRIVATE_MEMBERS.filter((name) => name in members);
  if (secret.length > 0) throw refused(`"jwk" must be a public key, but it holds private members (${secret.join(", ")})`);
  const verifier = KEY_TYPES[alg];
  if (members.kty !== verifier.kty || (verifier.crv !== undefined && members.crv !== verifier.crv)) {
    throw refused(`${alg} needs a ${verifier.kty}${verifier.crv ? ` ${verifier.crv}` : ""} key in "jwk"`);
  }
  const canonical = canonicalJwk(members);
  const cached = keyCache.get(canonical);
  if (cached) return cached;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: members as JsonWebKey, format: "jwk" });
  } catch {
    throw refused('"jwk" is not a valid public key');
  }
  // Bounded like client keys (lib/domain/public-keys.ts): a stranger's huge key must not make each verification cost milliseconds.
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (verifier.kty === "RSA" && (bits < 2048 || bits > 4096)) throw refused("an RSA key must have 2048 to 4096 bits");
  if (verifier.kty === "RSA" && key.asymmetricKeyDetails?.publicExponent !== 65537n) throw refused("an RSA key's public exponent must be 65537");
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
  const found = { key, jkt: hash("sha256", canonical, "base64url"), canonical };
  keyCache.set(canonical, found);
  return found;
}

/** What a proof's header establishes once checked: the same for every proof a client signs with one key. */
type CheckedHeader = { alg: DpopAlgorithm; key: KeyObject; jkt: string; header: Record<string, unknown> };

// Checked headers by their base64url segment, so that a client's next proof
// costs no header decoding or checking: only its claims and signature are
// new. A header is kept once a proof carrying it verified, so filling this
// costs a stranger a signature per entry; the oldest goes when it is full.
// Bounded in entries and in length (extra members can spell one key's header
// in endless ways; an RSA-4096 key's header is about 1,000 characters), and
// what is kept is the header's checked members, not whatever else it held.
const checkedHeaders = new Map<string, KnownHeader & CheckedHeader>();
const MAX_CACHED_HEADERS = 1_000;
const MAX_CACHED_HEADER_CHARS = 2_048;

let headerHits = 0;

/** How many proof headers and keys are remembered (what the bounds above hold), and how many proofs found their header remembered. */
export const dpopCacheStats = () => ({ headers: checkedHeaders.size, keys: keyCache.size, headerHits });

/** The proof header's algorithm and key, refused unless it is a DPoP proof's with an accepted algorithm and a public key of its type. */
function checkedHeader(header: Record<string, unknown>): CheckedHeader {
  if (header.typ !== "dpop+jwt") throw refused('"typ" must be "dpop+jwt"');
  if (!DPOP_ALGORITHMS.includes(header.alg as DpopAlgorithm)) {
    throw refused(`"alg" ${JSON.stringify(printable(String(header.alg), 20))} is not accepted (use ${DPOP_ALGORITHMS.join(", ")})`);
  }
  const alg = header.alg as DpopAlgorithm;
  const { key, jkt, canonical } = publicKeyOf(header.jwk, alg);
  return { alg, key, jkt, header: Object.freeze({ typ: header.typ, alg, jwk: Object.freeze(JSON.parse(canonical) as Record<string, string>) }) };
}

/** Remembers the header of a proof that verified, in place of the oldest when full. */
function remember(segment: string, checked: CheckedHeader): void {
  if (segment.length > MAX_CACHED_HEADER_CHARS || checkedHeaders.has(segment)) return;
  if (checkedHeaders.size >= MAX_CACHED_HEADERS) checkedHeaders.delete(checkedHeaders.keys().next().value!);
  // A copy: `segment` is a slice of the proof, and would keep all of it alive.
  const own = Buffer.from(segment, "latin1").toString("latin1");
  checkedHeaders.set(own, { ...checked, segment: own });
}

/** `url` without query and fragment, in RFC 3986 §6.2.2–6.2.3 normal form (scheme and host lower-case, default port dropped); null if not a URL. */
export function normaliseHtu(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return null;
  }
}

// --- Nonces (RFC 9449 §8): stateless, an HMAC of a time slot -----------------

let nonceKey: Buffer | undefined;

/**
 * Derived from GRANTRY_ENCRYPTION_KEY, so every worker and replica issues and
 * accepts the same nonces; a random key of this process when it is unset.
 */
function nonceSecret(): Buffer {
  if (!nonceKey) {
    const base = process.env.GRANTRY_ENCRYPTION_KEY;
    nonceKey = base ? createHmac("sha256", base).update("grantry dpop nonce").digest() : randomBytes(32);
  }
  return nonceKey;
}

const nonceMac = (slot: number) => createHmac("sha256", nonceSecret()).update(String(slot)).digest().subarray(0, 16).toString("base64url");

export const dpopNoncesOn = () => env().GRANTRY_DPOP_NONCE === "1";

/** The nonce of the current slot. */
export function currentDpopNonce(now = Date.now()): string {
  const slot = Math.floor(now / NONCE_SLOT_MS);
  return `${slot.toString(36)}.${nonceMac(slot)}`;
}

/** True for a nonce this server issued in the current or the previous slot. */
export function isFreshDpopNonce(nonce: string, now = Date.now()): boolean {
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
  if (!match) return false;
  const slot = parseInt(match[1]!, 36);
  const current = Math.floor(now / NONCE_SLOT_MS);
  if (slot !== current && slot !== current - 1) return false;
  return timingSafeEqual(Buffer.from(match[2]!), Buffer.from(nonceMac(slot)));
}

// --- The proof ---------------------------------------------------------------

export type DpopCheck = {
  /** The URL the request was sent to (the token endpoint under this issuer), without query. */
  url: string;
  method: string;
  /** True: the proof must carry a fresh server nonce. */
  nonces: boolean;
  now?: number;
};

/** The thumbprint of the key that signed `proof`, once the proof is shown valid and unused; else invalid_dpop_proof (or use_dpop_nonce) saying why. */
export async function verifyDpopProof(proof: string, check: DpopCheck): Promise<{ jkt: string }> {
  const now = check.now ?? Date.now();
  if (proof.length > MAX_PROOF_LENGTH) throw refused(`longer than ${MAX_PROOF_LENGTH} characters`);
  const segment = proof.slice(0, Math.max(proof.indexOf("."), 0));
  const known = checkedHeaders.get(segment);
  if (known) headerHits++;
  let jws: ReturnType<typeof decodeCompactJws>;
  try {
    jws = decodeCompactJws(proof, known);
  } catch (error) {
    throw refused(error instanceof MalformedJws ? error.message : "not a signed JWT (JWS compact serialization)");
  }
  if (jws.signature.length === 0) throw refused("not a signed JWT (JWS compact serialization)");
  const checked = known ?? checkedHeader(jws.header);
  const { alg, key, jkt } = checked;
  const { payload } = jws;

  if (payload.htm !== check.method) throw refused(`"htm" must be "${check.method}", the method of this request`);
  // The URL exactly as this server names it (what clients read from its metadata) needs no parsing.
  const htu = payload.htu === check.url ? check.url : typeof payload.htu === "string" ? normaliseHtu(payload.htu) : null;
  if (htu === null || (payload.htu !== check.url && htu !== normaliseHtu(check.url))) throw refused(`"htu" must be ${check.url}, the URL of this request`);
  const iat = payload.iat;
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw refused('"iat" is missing or not a number');
  const window = (PROOF_WINDOW_S + CLOCK_TOLERANCE_S) * 1000;
  if (iat * 1000 < now - window) throw refused(`"iat" is more than ${PROOF_WINDOW_S} seconds old: make a new proof for each request`);
  if (iat * 1000 > now + window) throw refused(`"iat" is more than ${PROOF_WINDOW_S} seconds in the future: check the client's clock`);
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw refused(`"jti" must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  if (check.nonces) {
    if (payload.nonce === undefined)
      throw new UseDpopNonce(currentDpopNonce(now), 'This server requires a "nonce" in DPoP proofs: resend with the DPoP-Nonce header of this response');
    if (typeof payload.nonce !== "string" || !isFreshDpopNonce(payload.nonce, now)) {
      throw new UseDpopNonce(currentDpopNonce(now), 'The DPoP proof\'s "nonce" is stale or unknown: resend with the DPoP-Nonce header of this response');
    }
  }

  if (!(await verifyCompactJws(jws, alg, key))) throw refused('its signature does not verify with its "jwk"');
  if (!known) remember(segment, checked);

  // Kept until the proof falls out of the window: a replay after that fails on "iat".
  const first = firstUse(`dpop ${jkt} ${jti}`, iat * 1000 + window, now);
  if (!(first instanceof Promise ? await first : first)) throw refused('"jti" was already used: make a new proof for each request');
  return { jkt };
}
