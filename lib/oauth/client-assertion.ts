// private_key_jwt: a client authenticates with a JWT it signed with a
// private key whose public key the application holds. Checked in the order
// that costs an attacker most and us least: shape, algorithm and claims that
// need no key, then the signature, then the one-time use of its `jti` (only a
// valid assertion can spend one).
// @see RFC 7521 §4.2, RFC 7523 §2.2 and §3, OpenID Connect Core §9
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from "@/lib/domain/public-keys";
import { printable } from "./body";
import { InvalidClient, InvalidRequest } from "./errors";
import { firstUse } from "./replay";
import type { CachedClient, CachedKey, TenantSnapshot } from "./store";

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** An assertion is a few hundred bytes; an RSA-4096 one with a long kid stays under 2 KB. */
export const MAX_ASSERTION_LENGTH = 8192;
/** How far ahead `exp` may be: an assertion is made for one request, not kept. */
export const MAX_ASSERTION_LIFETIME_S = 300;
const CLOCK_TOLERANCE_S = 30;
const MAX_JTI_LENGTH = 256;

/** The endpoints an assertion's `aud` may name: the issuer, or the token endpoint under either path. */
export function assertionAudiences(issuer: string): string[] {
  return [issuer, `${issuer}/oauth/token`, `${issuer}/oauth/m2m/token`];
}

const refused = (reason: string) => new InvalidClient(`Client assertion refused: ${reason}`);

/** The assertion's claims without checking them: which client it claims to be, to find its keys. */
export function assertedClientId(assertion: string): string {
  if (assertion.length > MAX_ASSERTION_LENGTH) throw refused(`longer than ${MAX_ASSERTION_LENGTH} characters`);
  let payload: JWTPayload;
  try {
    payload = decodeJwt(assertion);
  } catch {
    throw refused("not a signed JWT (JWS compact serialization)");
  }
  if (typeof payload.iss !== "string" || payload.iss === "" || payload.sub !== payload.iss) throw refused('"iss" and "sub" must both be the client id');
  return payload.iss;
}

/** The header's algorithm, refused unless asymmetric and allowed, and its kid when it names one. */
function headerOf(assertion: string): { alg: AssertionAlgorithm; kid: string | undefined } {
  let header: { alg?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw refused("its header cannot be read");
  }
  if (!ASSERTION_ALGORITHMS.includes(header.alg as AssertionAlgorithm)) {
    throw refused(`"alg" ${JSON.stringify(printable(String(header.alg), 20))} is not accepted (use ${ASSERTION_ALGORITHMS.join(", ")})`);
  }
  return { alg: header.alg as AssertionAlgorithm, kid: typeof header.kid === "string" ? header.kid : undefined };
}

/** The application's live keys that could have signed with `alg` (and carry `kid`, when the header names one). */
function candidates(client: CachedClient, alg: AssertionAlgorithm, kid: string | undefined, now: number): CachedKey[] {
  const type = alg === "ES256" ? "ec" : alg === "EdDSA" || alg === "Ed25519" ? "ed25519" : "rsa";
  // A key's declared alg binds it; EdDSA and Ed25519 name one algorithm for an Ed25519 key.
  const allows = (k: CachedKey) => k.alg === undefined || k.alg === alg || type === "ed25519";
  return client.keys.filter(
    (k) => (k.expiresAt === null || k.expiresAt > now) && k.key.asymmetricKeyType === type && allows(k) && (kid === undefined || k.kid === kid),
  );
}

function explain(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "it has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return '"aud" must be this tenant\'s issuer or token endpoint URL';
    if (error.claim === "nbf") return "it is not valid yet";
    if (error.claim === "iat") return '"iat" is in the future';
    return `"${error.claim}" is missing or invalid`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "its signature does not verify with this application's keys";
  return "it cannot be verified";
}

/**
 * The application and the key set whose key signed `assertion`, once the
 * assertion is shown valid and unused; else invalid_client saying why.
 */
export async function verifyClientAssertion(
  assertion: string,
  clientId: string,
  snapshot: TenantSnapshot,
  issuer: string,
  now = Date.now(),
): Promise<{ client: CachedClient; keyId: string }> {
  const { alg, kid } = headerOf(assertion);
  const client = snapshot.clients.get(clientId);
  const keys = client ? candidates(client, alg, kid, now) : [];
  if (!client || keys.length === 0) {
    throw refused(`no live ${alg} key of this application${kid !== undefined ? ` has the kid ${JSON.stringify(printable(kid, 60))}` : " matches"}`);
  }
  const options = {
    algorithms: [alg],
    issuer: clientId,
    subject: clientId,
    audience: assertionAudiences(issuer),
    clockTolerance: CLOCK_TOLERANCE_S,
    requiredClaims: ["exp", "jti"],
    currentDate: new Date(now),
  };
  let payload: JWTPayload | undefined;
  let signedBy: CachedKey | undefined;
  let failure: unknown;
  for (const key of keys) {
    try {
      payload = (await jwtVerify(assertion, key.key, options)).payload;
      signedBy = key;
      break;
    } catch (error) {
      failure = error;
      // Only a wrong signature makes another key worth trying: a claim fails with every key.
      if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) break;
    }
  }
  if (!payload || !signedBy) throw refused(explain(failure));
  const exp = payload.exp!;
  if (payload.iat !== undefined && payload.iat * 1000 > now + CLOCK_TOLERANCE_S * 1000) throw refused('"iat" is in the future');
  if (exp * 1000 > now + (MAX_ASSERTION_LIFETIME_S + CLOCK_TOLERANCE_S) * 1000) {
    throw refused(`"exp" is more than ${MAX_ASSERTION_LIFETIME_S} seconds ahead: sign a new assertion for each request`);
  }
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw refused(`"jti" must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  const until = (exp + CLOCK_TOLERANCE_S) * 1000;
  const first = firstUse(`jwt-bearer ${clientId} ${jti}`, until, now);
  if (!(first instanceof Promise ? await first : first)) throw refused('"jti" was already used: sign a new assertion for each request');
  return { client, keyId: signedBy.id };
}

/** The `client_assertion_type` / `client_assertion` pair, checked for presence and type. */
export function readAssertionParams(type: string | undefined, assertion: string | undefined): string | null {
  if (type === undefined && assertion === undefined) return null;
  if (assertion === undefined) throw new InvalidRequest("client_assertion is required with client_assertion_type");
  if (type === undefined) throw new InvalidRequest("client_assertion_type is required with client_assertion");
  if (type !== JWT_BEARER) throw new InvalidClient(`client_assertion_type must be ${JWT_BEARER}`);
  return assertion;
}
