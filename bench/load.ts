// The load generator: autocannon over loopback, rotating the request body
// through the mix of clients, counting as a success only a 200 whose body
// carries an access_token, and verifying one sampled token per run with jose
// against the server's JWKS (signature, alg, typ, iss, aud, sub, client_id,
// scope, exp).
import autocannon from "autocannon";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type { Alg, MixEntry } from "./shared";

export type Target = {
  /** Base URL of the server. */
  url: string;
  tokenPath: string;
  jwksPath: string;
  /** The `iss` its tokens carry. */
  issuer: string;
  body: "json" | "form-resource";
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

export async function runLoad(target: Target, alg: Alg, mix: MixEntry[], connections: number, seconds: number, verify: boolean): Promise<LoadResult> {
  const bodies = mix.map((m) => bodyFor(m, target.body));
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
          context.i = next++ % bodies.length;
          return { ...request, body: bodies[context.i]! };
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
  if (response.token_type?.toLowerCase() !== "bearer") throw new Error(`token_type ${response.token_type}`);
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
