// Shared helpers of the protocol suite: where the server is, token requests,
// and waiting out the server's configuration cache for the shared default tenant.
import assert from "node:assert/strict";
import { decodeJwt, decodeProtectedHeader } from "jose";
import type { SeededApp, SeededTenant } from "../helpers/seed";

/** The running server (GRANTRY_TEST_URL) and the base its issuers are named after (GRANTRY_URL). */
export const TEST_URL = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
export const ISSUER_BASE = (process.env.GRANTRY_URL ?? TEST_URL).replace(/\/+$/, "");
if (!TEST_URL) throw new Error("GRANTRY_TEST_URL must point at a running Grantry server");

/** An issuer-relative URL, rewritten to the address the server is reachable at. */
export function serverUrl(url: string): string {
  return url.startsWith(ISSUER_BASE) ? TEST_URL + url.slice(ISSUER_BASE.length) : url;
}

export type JsonResponse = { status: number; headers: Headers; body: Record<string, unknown> };

export async function request(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(serverUrl(url), { redirect: "manual", ...init });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  if (text) body = JSON.parse(text) as Record<string, unknown>;
  return { status: res.status, headers: res.headers, body };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

/** RFC 6749 §2.3.1: each half form-urlencoded, then base64. */
export function basicAuth(clientId: string, secret: string): string {
  const enc = (v: string) =>
    encodeURIComponent(v)
      .replace(/[!'()*~._-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

/** The JSON body the seeds post. */
export function seedBody(app: Pick<SeededApp, "clientId" | "clientSecret">, audience: string) {
  return { client_id: app.clientId, client_secret: app.clientSecret, audience, grant_type: "client_credentials" };
}

const CACHE_MISSES = new Set(["invalid_client", "invalid_target", "access_denied"]);

/**
 * Requests a token until the server has seen the seeded configuration. Only
 * needed for the default tenant, which other test files share: the server may
 * hold an older snapshot of it (up to GRANTRY_CACHE_TTL_MS, about 1 s after a miss).
 */
export async function untilServed(
  tenant: SeededTenant,
  app: SeededApp,
  audience: string,
  timeoutMs = Number(process.env.GRANTRY_CACHE_TTL_MS ?? 5000) + 5000,
): Promise<JsonResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await postJson(tenant.tokenUrl, seedBody(app, audience));
    if (res.status === 200 || !CACHE_MISSES.has(String(res.body.error)) || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Asserts an RFC 6749 §5.1 success and returns the decoded token. */
export function assertTokenResponse(res: JsonResponse, expected: { issuer: string; audience: string; clientId: string; scope?: string; expiresIn?: number }) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.equal(res.headers.get("pragma"), "no-cache");
  assert.equal(res.body.token_type, "Bearer");
  assert.equal(res.body.expires_in, expected.expiresIn ?? 86400);
  assert.equal(typeof res.body.access_token, "string");
  if (expected.scope !== undefined) assert.equal(res.body.scope, expected.scope);
  const token = res.body.access_token as string;
  const header = decodeProtectedHeader(token);
  assert.equal(header.typ, "at+jwt");
  assert.equal(typeof header.kid, "string");
  const claims = decodeJwt(token);
  assert.equal(claims.iss, expected.issuer);
  assert.equal(claims.aud, expected.audience);
  assert.equal(claims.sub, expected.clientId);
  assert.equal(claims.client_id, expected.clientId);
  assert.equal(claims.gty, "client-credentials");
  assert.equal(claims.exp! - claims.iat!, expected.expiresIn ?? 86400);
  assert.equal(typeof claims.jti, "string");
  if (expected.scope !== undefined) assert.equal(claims.scope, expected.scope);
  return { token, header, claims };
}

export function assertOAuthError(res: JsonResponse, status: number, error: string, description?: string | RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error, error);
  assert.equal(typeof res.body.error_description, "string");
  if (typeof description === "string") assert.equal(res.body.error_description, description);
  else if (description) assert.match(res.body.error_description as string, description);
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(Object.keys(res.body).sort().join(","), "error,error_description");
}

/** Starts examples/resource-server for one audience; resolves once it listens. */
export async function startResourceServer(env: {
  ISSUER: string;
  AUDIENCE: string;
  REQUIRED_SCOPE?: string;
  DPOP_REQUIRED?: string;
}): Promise<{ url: string; stop: () => void }> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, ["examples/resource-server/server.mjs"], {
    env: { ...process.env, ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`resource server did not start: ${out}`)), 15_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /on (http:\/\/localhost:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`resource server exited with ${code}: ${out}`)));
  });
  return { url, stop: () => void child.kill() };
}
