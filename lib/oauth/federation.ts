// Workload identity federation: a workload presents the JWT its platform gave
// it (a GitHub Actions OIDC token, a GitLab CI id_token, a Kubernetes service
// account token, a SPIFFE JWT-SVID) as its client assertion, with the
// application's client_id, and the application's federated credentials say
// which issuer, subject, audience and claims it must carry. Nothing secret is
// stored anywhere. The signature is checked before any claim, so only a
// holder of a genuine token from a trusted issuer learns which subject or
// audience the application expects.
// No jti replay check, as Entra and Google do not: the issuer mints these
// tokens for many audiences and reuses none of our rules; their lifetime
// (minutes for GitHub, an hour for Kubernetes) bounds a replay instead.
// @see RFC 7523 §3, RFC 7521 §4.2
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from "@/lib/domain/public-keys";
import { printable } from "./body";
import { decodeAssertion, signerOf, timely } from "./client-assertion";
import type { CachedFederatedCredential } from "./federation-store";
import { keyFitsAlgorithm, type DecodedJws } from "./jws";
import type { CachedClient } from "./store";
import { OutboundError } from "@/lib/outbound";
import { RefusedAssertion, type RefusalReason } from "./refusal";
import { discoveredJwksUri, remoteKeys, type RemoteKey } from "./remote-jwks";

/** Kubernetes service account tokens live an hour by default and up to a day when asked. */
export const MAX_FEDERATED_LIFETIME_S = 24 * 3600;

const quoted = (value: unknown, max = 200) => JSON.stringify(printable(String(value), max));

/** Whether `subject` matches `pattern`, where `*` stands for any run of characters (none included); no other character is special. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === subject;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (subject.length < first.length + last.length || !subject.startsWith(first) || !subject.endsWith(last)) return false;
  // Leftmost match of each middle part is enough: a later match can only leave less room for the rest.
  let at = first.length;
  const end = subject.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = subject.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * Whether the assertion comes from an external issuer rather than from the
 * client itself (private_key_jwt: iss = sub = client id). An assertion whose
 * iss is its sub stays private_key_jwt, refused there if it is not the client's.
 */
export function isFederated(jws: DecodedJws, clientId: string | undefined): boolean {
  const { iss, sub } = jws.payload;
  return typeof iss === "string" && iss !== sub && iss !== clientId;
}

/**
 * The application `clientId` names, authenticated by the federated assertion
 * `jws`, and the credential that accepted it. An unknown client id gets the
 * answer an untrusted issuer gets.
 */
export async function verifyFederatedAssertion(
  jws: DecodedJws,
  client: CachedClient | undefined,
  now = Date.now(),
): Promise<{ client: CachedClient; credentialId: string }> {
  const credential = await acceptingCredential(jws, client?.federated ?? [], now);
  return { client: client!, credentialId: credential.id };
}

function headerAlgorithm(jws: DecodedJws): { alg: AssertionAlgorithm; kid: string | undefined } {
  const { alg, kid } = jws.header;
  if (!ASSERTION_ALGORITHMS.includes(alg as AssertionAlgorithm)) {
    throw new RefusedAssertion("bad_algorithm", `"alg" ${quoted(alg, 20)} is not accepted (use ${ASSERTION_ALGORITHMS.join(", ")})`);
  }
  return { alg: alg as AssertionAlgorithm, kid: typeof kid === "string" ? kid : undefined };
}

async function issuerKeys(credential: CachedFederatedCredential, kid: string | undefined): Promise<RemoteKey[]> {
  try {
    return await remoteKeys(credential.jwksUri ?? (await discoveredJwksUri(credential.issuer)), kid);
  } catch (error) {
    const why = error instanceof OutboundError ? error.message : "they cannot be fetched";
    throw new RefusedAssertion("keys_unavailable", `the keys of issuer ${quoted(credential.issuer)} cannot be fetched: ${why}`);
  }
}

const audienceIncludes = (aud: unknown, audience: string) =>
  typeof aud === "string" ? aud === audience : Array.isArray(aud) && aud.some((a) => a === audience);

/** A claim's value as a condition compares it: strings as they are, numbers and booleans as their JSON text. */
const claimText = (value: unknown) => (typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined);

/** The claims `credential` requires, checked in order; throws the first unmet. */
function checkClaims(payload: Record<string, unknown>, credential: CachedFederatedCredential, now: number): void {
  timely(payload, now, MAX_FEDERATED_LIFETIME_S);
  if (!audienceIncludes(payload.aud, credential.audience)) {
    const aud = payload.aud;
    const got = aud === undefined ? "it has none" : `it has ${typeof aud === "string" ? quoted(aud) : printable(JSON.stringify(aud), 200)}`;
    throw new RefusedAssertion("audience_mismatch", `"aud" must include ${quoted(credential.audience)} (${got})`);
  }
  const sub = payload.sub;
  if (typeof sub !== "string" || !subjectMatches(credential.subject, sub)) {
    const got = typeof sub === "string" ? quoted(sub) : "missing";
    throw new RefusedAssertion("subject_mismatch", `subject ${got} does not match ${quoted(credential.subject)}`);
  }
  for (const [claim, value] of credential.conditions) {
    const actual = claimText(payload[claim]);
    if (actual !== value) {
      const got = payload[claim] === undefined ? "missing" : quoted(actual ?? JSON.stringify(payload[claim]));
      throw new RefusedAssertion("claim_mismatch", `claim ${quoted(claim, 60)} must be ${quoted(value)} (it is ${got})`);
    }
  }
}

/** Later stages say more: when several credentials trust the issuer, the refusal of the one that got furthest is the useful one. */
const STAGE: Partial<Record<RefusalReason, number>> = {
  keys_unavailable: 0,
  unknown_key: 1,
  bad_signature: 2,
  expired: 3,
  not_yet_valid: 3,
  audience_mismatch: 4,
  subject_mismatch: 5,
  claim_mismatch: 6,
};

/**
 * The credential among `credentials` that accepts `jws`, or a RefusedAssertion
 * saying exactly why none does. Records nothing: the token endpoint records
 * the use, the dashboard's Test box only explains.
 */
export async function acceptingCredential(
  jws: DecodedJws,
  credentials: readonly CachedFederatedCredential[],
  now = Date.now(),
): Promise<CachedFederatedCredential> {
  const { alg, kid } = headerAlgorithm(jws);
  const iss = jws.payload.iss;
  const trusted = credentials.filter((c) => c.issuer === iss);
  if (typeof iss !== "string" || trusted.length === 0) {
    throw new RefusedAssertion("issuer_not_trusted", `issuer ${typeof iss === "string" ? quoted(iss) : "(none)"} is not trusted by this application`);
  }
  let best: RefusedAssertion | undefined;
  for (const credential of trusted) {
    try {
      const keys = (await issuerKeys(credential, kid)).filter(
        (k) =>
          (kid === undefined || k.kid === kid) &&
          (k.alg === undefined || k.alg === alg || alg === "Ed25519" || alg === "EdDSA") &&
          keyFitsAlgorithm(k.key, alg),
      );
      if (keys.length === 0) {
        throw new RefusedAssertion("unknown_key", `issuer ${quoted(iss)} has no ${alg} key${kid === undefined ? "" : ` with the kid ${quoted(kid, 60)}`}`);
      }
      if (!(await signerOf(jws, alg, keys)))
        throw new RefusedAssertion("bad_signature", `its signature does not verify with the keys of issuer ${quoted(iss)}`);
      checkClaims(jws.payload, credential, now);
      return credential;
    } catch (error) {
      if (!(error instanceof RefusedAssertion)) throw error;
      if (!best || (STAGE[error.reason] ?? 0) > (STAGE[best.reason] ?? 0)) best = error;
    }
  }
  throw best!;
}

export type FederationVerdict =
  { accepted: true; credentialId: string; credentialName: string; subject: string } | { accepted: false; reason: RefusalReason; description: string };

/** For the dashboard's Test box: what the token endpoint would answer to `token`, without issuing or recording anything. */
export async function explainFederatedAssertion(
  token: string,
  credentials: readonly CachedFederatedCredential[],
  now = Date.now(),
): Promise<FederationVerdict> {
  try {
    const jws = decodeAssertion(token.trim());
    const credential = await acceptingCredential(jws, credentials, now);
    return { accepted: true, credentialId: credential.id, credentialName: credential.name, subject: String(jws.payload.sub) };
  } catch (error) {
    if (error instanceof RefusedAssertion) return { accepted: false, reason: error.reason, description: error.message };
    throw error;
  }
}
