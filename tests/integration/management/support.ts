// Helpers of the Management API suite: seeding through lib/domain on the
// server's own database, minting tokens (good and deliberately bad) with the
// tenant's own keys, real tokens from the token endpoint, and HTTP calls.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { SignJWT, generateKeyPair } from "jose";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createApplication } from "@/lib/domain/applications";
import { listApis } from "@/lib/domain/apis";
import { setGrant } from "@/lib/domain/grants";
import { loadCurrentSigningKeys } from "@/lib/domain/keys";
import { MANAGEMENT_SCOPES } from "@/lib/domain/management-api";
import { createTenant, findTenantBySlug } from "@/lib/domain/tenants";
import { env } from "@/lib/env";
import { issuerFor } from "@/lib/tenancy";

export const TEST_URL = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
const ISSUER_BASE = (process.env.GRANTRY_URL ?? TEST_URL).replace(/\/+$/, "");
if (!TEST_URL) throw new Error("GRANTRY_TEST_URL must point at a running Grantry server");

export const ALL_SCOPES = MANAGEMENT_SCOPES.map((s) => s.name);

/** An issuer-based URL, rewritten to where the server listens. */
export function serverUrl(url: string): string {
  return url.startsWith(ISSUER_BASE) ? TEST_URL + url.slice(ISSUER_BASE.length) : url;
}

export type Tenant = { id: string; slug: string; issuer: string; managementApiId: string };
export type Client = { id: string; clientId: string; clientSecret: string; secretId: string; name: string };

export const randomSlug = (prefix: string) => `${prefix}-${randomBytes(5).toString("hex")}`;

async function describe(id: string, slug: string): Promise<Tenant> {
  const mgmt = (await listApis(id)).find((a) => a.kind === "management")!;
  return { id, slug, issuer: issuerFor(slug), managementApiId: mgmt.id };
}

export async function seedTenant(prefix = "mgmt"): Promise<Tenant> {
  const tenant = await createTenant({ slug: randomSlug(prefix) }, SYSTEM_ACTOR);
  return describe(tenant.id, tenant.slug);
}

/** The default tenant (served at the root), created when missing; other files may race to create it. */
export async function defaultTenant(): Promise<Tenant> {
  const slug = env().GRANTRY_DEFAULT_TENANT;
  const found = (await findTenantBySlug(slug)) ?? (await createTenant({ slug }, SYSTEM_ACTOR).catch(() => findTenantBySlug(slug)));
  if (!found) throw new Error("no default tenant");
  return describe(found.id, slug);
}

/** An application granted the Management API with `scopes` (all by default; null: no grant). */
export async function seedClient(tenant: Tenant, scopes: string[] | null = ALL_SCOPES, name = "Management script"): Promise<Client> {
  const { application, secret } = await createApplication(tenant.id, { name }, SYSTEM_ACTOR);
  if (scopes) await setGrant(tenant.id, { application_id: application.id, api_id: tenant.managementApiId, scopes }, SYSTEM_ACTOR);
  return { id: application.id, clientId: application.clientId, clientSecret: secret.value, secretId: secret.id, name };
}

export type MintOptions = { scope?: string; iss?: string; aud?: string; exp?: number; iat?: number; typ?: string; foreignKey?: boolean; jti?: string };

/** A token signed with the tenant's current key, as the token endpoint would sign it, or deliberately wrong. */
export async function mintToken(tenant: Tenant, client: Pick<Client, "clientId">, options: MintOptions = {}): Promise<string> {
  const key = (await loadCurrentSigningKeys(tenant.id))[0]!;
  const privateKey = options.foreignKey ? (await generateKeyPair(key.alg)).privateKey : key.privateKey;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: client.clientId, scope: options.scope ?? ALL_SCOPES.join(" "), gty: "client-credentials" })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: options.typ ?? "at+jwt" })
    .setIssuer(options.iss ?? tenant.issuer)
    .setSubject(client.clientId)
    .setAudience(options.aud ?? tenant.issuer)
    .setIssuedAt(options.iat ?? now)
    .setExpirationTime(options.exp ?? now + 3600)
    .setJti(options.jti ?? randomBytes(12).toString("base64url"))
    .sign(privateKey);
}

/** A real token from the tenant's token endpoint (seed 000's request). */
export async function requestToken(tenant: Tenant, client: Client, path = "/oauth/m2m/token"): Promise<string> {
  const res = await fetch(serverUrl(tenant.issuer + path), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, audience: tenant.issuer, grant_type: "client_credentials" }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

// Tests read response bodies freely; the schemas are checked by the server itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Reply<T = Json> = { status: number; headers: Headers; body: T };
export type CallOptions = { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> };

/** One Management API call: `path` relative to {issuer}/api/v1. */
export async function call<T = Json>(tenant: Pick<Tenant, "issuer">, method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(serverUrl(`${tenant.issuer}/api/v1${path}`), { method, headers, body, redirect: "manual" });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A client holding every Management API scope and a token for it: the usual starting point. */
export async function adminSession(prefix = "mgmt") {
  const tenant = await seedTenant(prefix);
  const client = await seedClient(tenant);
  const token = await mintToken(tenant, client);
  return { tenant, client, token };
}

/** rel → { page, per_page, url } of an RFC 8288 Link header. */
export function parseLinks(header: string | null): Record<string, { page: number; perPage: number; url: URL }> {
  const out: Record<string, { page: number; perPage: number; url: URL }> = {};
  for (const part of (header ?? "").split(", ")) {
    const match = /^<([^>]+)>; rel="(\w+)"$/.exec(part);
    if (!match) continue;
    const url = new URL(match[1]!);
    out[match[2]!] = { page: Number(url.searchParams.get("page")), perPage: Number(url.searchParams.get("per_page")), url };
  }
  return out;
}

/**
 * Waits until the token endpoint serves `client`. Needed for the default
 * tenant only: other files share it, so the server may hold an older snapshot
 * of its configuration for up to GRANTRY_CACHE_TTL_MS.
 */
export async function untilServed(tenant: Tenant, client: Client, timeoutMs = Number(process.env.GRANTRY_CACHE_TTL_MS ?? 5000) + 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await requestToken(tenant, client);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

const CLI = path.resolve("bin/grantry.mjs");

/** The CLI (bin/grantry.mjs) on the server's own database, as an operator runs it: the exit code and both outputs. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
