// private_key_jwt: a client authenticates with a JWT it signed with a
// private key whose public key the application holds. Checked in the order
// that costs an attacker most and us least: shape, algorithm and claims that
// need no key, then the signature, then the one-time use of its `jti` (only a
// valid assertion can spend one).
// @see RFC 7521 §4.2, RFC 7523 §2.2 and §3, OpenID Connect Core §9
import { ASSERTION_ALGORITHMS, KeySetError, type AssertionAlgorithm } from "@/lib/domain/public-keys";
import { log } from "@/lib/observability/log";
import { OutboundError } from "@/lib/outbound";
import { printable } from "./body";
import { InvalidClient, InvalidRequest } from "./errors";
import { decodeCompactJws, MalformedJws, verifyCompactJws, type DecodedJws } from "./jws";
import { cachedRemoteKeys, remoteKeys, type RemoteKey } from "./remote-jwks";
import { RefusedAssertion, type RefusalReason } from "./refusal";
import { firstUse } from "./replay";
import type { CachedClient, CachedKey, TenantSnapshot } from "./store";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** An assertion is a few hundred bytes; an RSA-4096 one with a long kid stays under 2 KB. */
export const MAX_ASSERTION_LENGTH = 8192;
/** How far ahead `exp` may be: an assertion is made for one request, not kept. */
export const MAX_ASSERTION_LIFETIME_S = 300;
export const CLOCK_TOLERANCE_S = 30;
const MAX_JTI_LENGTH = 256;

/** The endpoints an assertion's `aud` may name: the issuer, or the token endpoint under either path. */
export function assertionAudiences(issuer: string): string[] {
  return [issuer, `${issuer}/oauth/token`, `${issuer}/oauth/m2m/token`];
}

/** invalid_client saying why, with the code the token log keeps (lib/domain/refusal-reasons.ts). */
const refused = (reason: RefusalReason, detail: string) => new RefusedAssertion(reason, detail);

/** The assertion decoded (not verified), or invalid_client saying why it cannot be read. */
export function decodeAssertion(assertion: string): DecodedJws {
  if (assertion.length > MAX_ASSERTION_LENGTH) throw refused("malformed", `longer than ${MAX_ASSERTION_LENGTH} characters`);
  try {
    return decodeCompactJws(assertion);
  } catch (error) {
    throw refused("malformed", error instanceof MalformedJws ? error.message : "not a signed JWT (JWS compact serialization)");
  }
}

/** Which client the assertion claims to be, to find its keys (nothing is verified yet). */
export function assertedClientId(jws: DecodedJws): string {
  const { iss, sub } = jws.payload;
  if (typeof iss !== "string" || iss === "" || sub !== iss) throw refused("subject_mismatch", '"iss" and "sub" must both be the client id');
  return iss;
}

/** The header's algorithm, refused unless asymmetric and allowed, and its kid when it names one. */
export function assertionHeader(jws: DecodedJws): { alg: AssertionAlgorithm; kid: string | undefined } {
  const { alg, kid } = jws.header;
  if (!ASSERTION_ALGORITHMS.includes(alg as AssertionAlgorithm)) {
    throw refused("bad_algorithm", `"alg" ${JSON.stringify(printable(String(alg), 20))} is not accepted (use ${ASSERTION_ALGORITHMS.join(", ")})`);
  }
  if (kid !== undefined && typeof kid !== "string") throw refused("malformed", '"kid" must be a string');
  return { alg: alg as AssertionAlgorithm, kid };
}

type VerifyingKey = Pick<CachedKey, "kid" | "alg" | "key">;

/** The keys that could have signed with `alg` (and carry `kid`, when the header names one). */
function candidates<K extends VerifyingKey>(keys: K[], alg: AssertionAlgorithm, kid: string | undefined): K[] {
  const type = alg === "ES256" ? "ec" : alg === "EdDSA" || alg === "Ed25519" ? "ed25519" : "rsa";
  // A key's declared alg binds it; EdDSA and Ed25519 name one algorithm for an Ed25519 key.
  const allows = (k: K) => k.alg === undefined || k.alg === alg || type === "ed25519";
  return keys.filter((k) => k.key.asymmetricKeyType === type && allows(k) && (kid === undefined || k.kid === kid));
}

const live = (k: { expiresAt: number | null }, now: number) => k.expiresAt === null || k.expiresAt > now;

/** The most signatures one assertion may make us check: past it, a `kid` must say which key (a CPU bound on what a stranger can ask). */
export const MAX_VERIFICATIONS = 10;
const tooMany = () => refused("unknown_key", `more than ${MAX_VERIFICATIONS} of this application's keys could have signed it: name the key with "kid"`);

/**
 * The key set that signed the assertion: first the keys the application gave,
 * then those at its jwks_uri sets (fetched, or from the cache). Refused when
 * no key could have signed it, when none verifies, or when a set it might be
 * in cannot be fetched — each said precisely.
 */
async function signingSet(jws: DecodedJws, client: CachedClient | undefined, alg: AssertionAlgorithm, kid: string | undefined, now: number): Promise<string> {
  const given = client
    ? candidates(
        client.keys.filter((k) => live(k, now)),
        alg,
        kid,
      )
    : [];
  let tried = given.length;
  if (tried > MAX_VERIFICATIONS) throw tooMany();
  const signedBy = await signerOf(jws, alg, given);
  if (signedBy) return signedBy.id;
  const sets = client?.keyUris.filter((u) => live(u, now)) ?? [];
  // Every set not in cache is fetched at once, so sets that do not answer cost one timeout together, not
  // one each; the sets are still tried in their order, each as soon as its keys are in, and the first that
  // verifies wins (later fetches finish on their own).
  const keysOf = sets.map((set) => {
    const cached = cachedRemoteKeys(set.url, kid, now);
    return cached
      ? Promise.resolve({ ok: true as const, keys: cached })
      : remoteKeys(set.url, kid, now).then(
          (keys) => ({ ok: true as const, keys }),
          (error: unknown) => ({ ok: false as const, error }),
        );
  });
  let unreachable: string | undefined;
  for (const [i, set] of sets.entries()) {
    const result = await keysOf[i]!;
    let published: RemoteKey[];
    try {
      if (!result.ok) throw result.error;
      published = candidates(result.keys, alg, kid);
    } catch (error) {
      if (!(error instanceof OutboundError) && !(error instanceof KeySetError)) throw error;
      // The requester is not yet authenticated: the URL and the reason go to the log, not to it.
      // Without its query: a URL may carry an access token there, and logs are not for secrets.
      log().warn({ jwksUri: set.url.split(/[?#]/)[0], reason: error.message }, "a key set at a jwks_uri cannot be used");
      unreachable = "the application's published key set (jwks_uri) cannot be fetched or holds no usable key";
      continue;
    }
    tried += published.length;
    if (tried > MAX_VERIFICATIONS) throw tooMany();
    if (await signerOf(jws, alg, published)) return set.id;
  }
  if (unreachable) throw refused("keys_unavailable", unreachable);
  if (tried === 0) {
    throw refused(
      "unknown_key",
      `no live ${alg} key of this application${kid !== undefined ? ` has the kid ${JSON.stringify(printable(kid, 60))}` : " matches"}`,
    );
  }
  throw refused("bad_signature", "its signature does not verify with this application's keys");
}

/** The first of `keys` whose key verifies the signature, or undefined. */
export async function signerOf<K extends { key: CachedKey["key"] }>(jws: DecodedJws, alg: AssertionAlgorithm, keys: K[]): Promise<K | undefined> {
  for (const key of keys) if (await verifyCompactJws(jws, alg, key.key)) return key;
  return undefined;
}

/** Whether `aud` (a string or an array of them) names one of `audiences`. */
const audienceMatches = (aud: unknown, audiences: string[]) =>
  typeof aud === "string" ? audiences.includes(aud) : Array.isArray(aud) && aud.some((a) => typeof a === "string" && audiences.includes(a));

const EXPIRED = "it has expired";
const isTime = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/**
 * The time claims of a short-lived JWT checked against `now` (ms): `exp`
 * present, not past, at most `maxLifetimeS` ahead; `nbf` and `iat` not in the
 * future. Returns `exp`, or the reason it is refused.
 */
function checkTimes(payload: Record<string, unknown>, now: number, maxLifetimeS: number): number | string {
  const { exp, nbf, iat } = payload;
  const tolerance = CLOCK_TOLERANCE_S * 1000;
  if (exp === undefined) return '"exp" is missing';
  if (!isTime(exp)) return '"exp" must be a number of seconds';
  if (exp * 1000 <= now - tolerance) return EXPIRED;
  if (nbf !== undefined && (!isTime(nbf) || nbf * 1000 > now + tolerance)) return "it is not valid yet";
  if (iat !== undefined && (!isTime(iat) || iat * 1000 > now + tolerance)) return '"iat" is in the future';
  if (exp * 1000 > now + (maxLifetimeS + CLOCK_TOLERANCE_S) * 1000) {
    return `"exp" is more than ${maxLifetimeS} seconds ahead: sign a new assertion for each request`;
  }
  return exp;
}

/** checkTimes, refusing with the reason ("expired", else "not_yet_valid" for a future or overlong one). */
export function timely(payload: Record<string, unknown>, now: number, maxLifetimeS: number): number {
  const exp = checkTimes(payload, now, maxLifetimeS);
  if (typeof exp === "string") throw refused(exp === EXPIRED ? "expired" : "not_yet_valid", exp);
  return exp;
}

/** Spends the assertion's `jti` (RFC 7523 §3 item 7), refusing a missing, oversized or replayed one. */
export async function spendJti(scope: string, jti: unknown, exp: number, now: number): Promise<void> {
  if (jti === undefined) throw refused("malformed", '"jti" is missing');
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH)
    throw refused("malformed", `"jti" must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  const first = firstUse(`${scope} ${jti}`, (exp + CLOCK_TOLERANCE_S) * 1000, now);
  if (!(first instanceof Promise ? await first : first)) throw refused("replayed", '"jti" was already used: sign a new assertion for each request');
}

/**
 * The application and the key set whose key signed `assertion`, once the
 * assertion is shown valid and unused; else invalid_client saying why.
 * Verified with node:crypto rather than jose (lib/oauth/jws.ts says why).
 */
export async function verifyClientAssertion(
  jws: DecodedJws,
  clientId: string,
  snapshot: TenantSnapshot,
  issuer: string,
  now = Date.now(),
): Promise<{ client: CachedClient; keyId: string }> {
  const { alg, kid } = assertionHeader(jws);
  const client = snapshot.clients.get(clientId);
  const keyId = await signingSet(jws, client, alg, kid, now);
  const { payload } = jws;
  if (payload.iss !== clientId || payload.sub !== clientId) throw refused("subject_mismatch", '"iss" and "sub" must both be the client id');
  if (payload.aud === undefined) throw refused("audience_mismatch", '"aud" is missing or invalid');
  if (!audienceMatches(payload.aud, assertionAudiences(issuer)))
    throw refused("audience_mismatch", '"aud" must be this tenant\'s issuer or token endpoint URL');
  const exp = timely(payload, now, MAX_ASSERTION_LIFETIME_S);
  await spendJti(`jwt-bearer ${clientId}`, payload.jti, exp, now);
  return { client: client!, keyId };
}

/** The `client_assertion_type` / `client_assertion` pair, checked for presence and type. */
export function readAssertionParams(type: string | undefined, assertion: string | undefined): string | null {
  if (type === undefined && assertion === undefined) return null;
  if (assertion === undefined) throw new InvalidRequest("client_assertion is required with client_assertion_type");
  if (type === undefined) throw new InvalidRequest("client_assertion_type is required with client_assertion");
  if (type !== JWT_BEARER) throw new InvalidClient(`client_assertion_type must be ${JWT_BEARER}`);
  return assertion;
}
