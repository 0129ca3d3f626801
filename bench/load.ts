// The load generator: autocannon over loopback, rotating the request body
// through the mix of clients, counting as a success only a 200 whose body
// carries an access_token, and verifying one sampled token per run with jose
// against the server's JWKS (signature, alg, typ, iss, aud, sub, client_id,
// scope, exp). A private_key_jwt or DPoP target sends a fresh assertion or
// proof with every request (each jti is accepted once), signed before the
// window so that the generator's signing does not take CPU from the server
// while it is measured.
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import autocannon from "autocannon";
import v8 from "node:v8";
import vm from "node:vm";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type { Alg, Credential, MixEntry, SeedData } from "./shared";

export type Target = {
  /** Base URL of the server. */
  url: string;
  tokenPath: string;
  jwksPath: string;
  /** The `iss` its tokens carry. */
  issuer: string;
  body: "json" | "form-resource";
  /** How requests authenticate; a client secret when absent. */
  credential?: Credential;
  /** For private_key_jwt: the mix's key set. */
  assertionKey?: SeedData["assertionKey"];
};

/** Grantry's token and JWKS paths, which the bare server copies; JSON bodies with `audience`. */
export const grantryTarget = (url: string): Target => ({ url, tokenPath: "/oauth/token", jwksPath: "/.well-known/jwks.json", issuer: url, body: "json" });

/** oidc-provider's paths; form bodies with RFC 8707 `resource`. */
export const peerTarget = (url: string): Target => ({ url, tokenPath: "/token", jwksPath: "/jwks", issuer: url, body: "form-resource" });

export type LoadResult = {
  connections: number;
  seconds: number;
  tokensPerSec: number;
  p50: number;
  p99: number;
  successes: number;
  errors: number;
  statuses: Record<string, number>;
  verified: boolean;
  verifyError?: string;
};

export function bodyFor(entry: MixEntry, kind: Target["body"]): string {
  if (kind === "json") {
    return JSON.stringify({ grant_type: "client_credentials", client_id: entry.clientId, client_secret: entry.secret, audience: entry.audience });
  }
  // oidc-provider: form only; RFC 8707 `resource`; scope asked for explicitly (it adds none by default).
  return new URLSearchParams({
    grant_type: "client_credentials",
    client_id: entry.clientId,
    client_secret: entry.secret,
    resource: entry.audience,
    scope: entry.scope,
  }).toString();
}

type Ctx = { i: number };

/** One request's body and, for DPoP, its proof header. */
export type Prepared = { entry: number; body: string; dpop?: string };

/** Signed requests prepared per second of window: above what any server here serves, so the load never waits for a signature. */
export const PREPARED_PER_SECOND = 12_000;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** An ES256 compact JWS (node:crypto: the generator signs tens of thousands per window). */
function es256(header: object, payload: object, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

/** Each client's DPoP key (one per client, as a real one would hold), and its public JWK. */
const dpopKeys = new WeakMap<MixEntry, { key: KeyObject; jwk: object; jkt: string }>();
function dpopKeyOf(entry: MixEntry) {
  let held = dpopKeys.get(entry);
  if (!held) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
    const jkt = createHash("sha256").update(JSON.stringify({ crv, kty, x, y })).digest("base64url");
    held = { key: privateKey, jwk: { kty, crv, x, y }, jkt };
    dpopKeys.set(entry, held);
  }
  return held;
}
const assertionKeys = new Map<string, KeyObject>();

/** The `i`th request of the mix for `target`'s credential, made now (fresh jti, iat and exp). */
export function prepare(target: Target, mix: MixEntry[], i: number): Prepared {
  const entry = mix[i % mix.length]!;
  const now = Math.floor(Date.now() / 1000);
  if (target.credential === "private_key_jwt") {
    const { pem, kid } = target.assertionKey!;
    let key = assertionKeys.get(pem);
    if (!key) assertionKeys.set(pem, (key = createPrivateKey(pem)));
    const assertion = es256(
      { alg: "ES256", kid },
      { iss: entry.clientId, sub: entry.clientId, aud: target.issuer, jti: randomUUID(), iat: now, exp: now + 60 },
      key,
    );
    const body = {
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      audience: entry.audience,
    };
    return { entry: i % mix.length, body: JSON.stringify(body) };
  }
  const body = bodyFor(entry, target.body);
  if (target.credential !== "dpop") return { entry: i % mix.length, body };
  const { key, jwk } = dpopKeyOf(entry);
  const dpop = es256({ typ: "dpop+jwt", alg: "ES256", jwk }, { jti: randomUUID(), htm: "POST", htu: target.issuer + target.tokenPath, iat: now }, key);
  return { entry: i % mix.length, body, dpop };
}

/**
 * A full collection in this process (the load generator's), between windows.
 * A private_key_jwt or DPoP window leaves tens of thousands of prepared
 * requests behind; collected during the next window, they would take CPU
 * from the server on a 2-core machine. DPoP, measured after private_key_jwt,
 * trailed it by 10–20 % though the two cost the same in-process (the order
 * swapped, DPoP led at 10 connections); the gap shrank but did not close.
 */
function collectGeneratorGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

export async function runLoad(target: Target, alg: Alg, mix: MixEntry[], connections: number, seconds: number, verify: boolean): Promise<LoadResult> {
  const fresh = target.credential === "private_key_jwt" || target.credential === "dpop";
  const prepared: Prepared[] = fresh
    ? Array.from({ length: Math.ceil(seconds * PREPARED_PER_SECOND) }, (_, i) => prepare(target, mix, i))
    : mix.map((_, i) => prepare(target, mix, i));
  collectGeneratorGarbage();
  const contentType = target.body === "json" ? "application/json" : "application/x-www-form-urlencoded";
  let next = 0;
  let successes = 0;
  const statuses: Record<string, number> = {};
  let sample: { body: string; entry: MixEntry } | null = null;
  // Sample a response from the middle of the run, not the first one.
  const sampleAt = 1 + Math.floor(Math.random() * 200);

  const instance = autocannon<Ctx>({
    url: target.url,
    connections,
    duration: seconds,
    timeout: 10,
    initialContext: { i: 0 },
    requests: [
      {
        method: "POST",
        path: target.tokenPath,
        headers: { "content-type": contentType },
        setupRequest: (request, context) => {
          const n = next++;
          // A replayed assertion or proof would be refused: past the prepared ones, sign on the spot.
          const p = fresh ? (prepared[n] ?? prepare(target, mix, n)) : prepared[n % prepared.length]!;
          context.i = p.entry;
          return { ...request, body: p.body, ...(p.dpop ? { headers: { ...request.headers, dpop: p.dpop } } : {}) };
        },
        onResponse: (status, body, context) => {
          if (status === 200 && body.includes('"access_token"')) {
            successes++;
            if (successes === sampleAt || (sample === null && successes > sampleAt)) sample = { body, entry: mix[context.i]! };
          } else {
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        },
      },
    ],
  });
  const result = await instance;
  const elapsed = result.duration || seconds;
  // requests.total counts responses; errors counts socket errors and timeouts.
  const errors = result.requests.total - successes + result.errors;
  const out: LoadResult = {
    connections,
    seconds: elapsed,
    tokensPerSec: Math.round(successes / elapsed),
    p50: result.latency.p50,
    p99: result.latency.p99,
    successes,
    errors: Math.max(0, errors),
    statuses: { ...statuses, ...(result.errors ? { socket_errors: result.errors } : {}), ...(result.timeouts ? { timeouts: result.timeouts } : {}) },
    verified: false,
  };
  if (verify) {
    const picked = sample as { body: string; entry: MixEntry } | null;
    if (!picked) out.verifyError = "no successful response to verify";
    else {
      try {
        await verifyToken(target, alg, picked.body, picked.entry);
        out.verified = true;
      } catch (error) {
        out.verifyError = (error as Error).message;
      }
    }
  }
  return out;
}

const jwksCache = new Map<string, ReturnType<typeof createLocalJWKSet>>();

/** A token response is good when its JWT verifies against the server's JWKS and carries the expected claims. */
export async function verifyToken(target: Target, alg: Alg, responseBody: string, entry: MixEntry): Promise<void> {
  const response = JSON.parse(responseBody) as { access_token?: string; token_type?: string; expires_in?: number };
  if (!response.access_token) throw new Error("no access_token");
  const type = target.credential === "dpop" ? "dpop" : "bearer";
  if (response.token_type?.toLowerCase() !== type) throw new Error(`token_type ${response.token_type}`);
  const jwksUrl = target.url + target.jwksPath;
  let keys = jwksCache.get(jwksUrl);
  if (!keys) {
    const res = await fetch(jwksUrl);
    if (!res.ok) throw new Error(`JWKS ${res.status}`);
    keys = createLocalJWKSet((await res.json()) as JSONWebKeySet);
    jwksCache.set(jwksUrl, keys);
  }
  const { payload, protectedHeader } = await jwtVerify(response.access_token, keys, {
    issuer: target.issuer,
    audience: entry.audience,
    algorithms: [alg],
    typ: "at+jwt",
  });
  if (payload.client_id !== entry.clientId) throw new Error(`client_id ${String(payload.client_id)} ≠ ${entry.clientId}`);
  if (payload.sub !== entry.clientId) throw new Error(`sub ${String(payload.sub)} ≠ ${entry.clientId}`);
  const scopes = (v: unknown) => String(v).split(" ").sort().join(" ");
  if (scopes(payload.scope) !== scopes(entry.scope)) throw new Error(`scope "${String(payload.scope)}" ≠ "${entry.scope}"`);
  if (typeof payload.exp !== "number" || typeof payload.iat !== "number" || typeof payload.jti !== "string") throw new Error("exp, iat or jti missing");
  if (!protectedHeader.kid) throw new Error("no kid");
  if (target.credential === "dpop" && (payload.cnf as { jkt?: string } | undefined)?.jkt !== dpopKeyOf(entry).jkt)
    throw new Error("cnf.jkt is not the proof key's");
}

export async function firstToken(target: Target, entry: MixEntry): Promise<boolean> {
  const res = await fetch(target.url + target.tokenPath, {
    method: "POST",
    headers: { "content-type": target.body === "json" ? "application/json" : "application/x-www-form-urlencoded" },
    body: bodyFor(entry, target.body),
  });
  const text = await res.text();
  return res.status === 200 && text.includes('"access_token"');
}
