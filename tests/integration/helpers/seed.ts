// Seeds tenants, applications, APIs and grants straight through lib/domain,
// for integration tests that run beside a server on the same database
// (DATABASE_URL, GRANTRY_URL and GRANTRY_ENCRYPTION_KEY set to the server's).
// Remember the server caches configuration: seed a tenant completely before
// its first protocol request (or expect up to GRANTRY_CACHE_TTL_MS of delay).
import { randomBytes } from "node:crypto";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createApplication } from "@/lib/domain/applications";
import { createApi, listApis } from "@/lib/domain/apis";
import { setGrant } from "@/lib/domain/grants";
import { mutateTenant } from "@/lib/domain/changes";
import { createSecret } from "@/lib/domain/secrets";
import { createTenant, findTenantBySlug } from "@/lib/domain/tenants";
import type { SigningAlgorithm } from "@/lib/domain/schemas";
import { env } from "@/lib/env";
import { issuerFor } from "@/lib/tenancy";

export type SeededTenant = { id: string; slug: string; issuer: string; tokenUrl: string };
export type SeededApp = { id: string; clientId: string; clientSecret: string; secretId: string };
export type SeededApi = { id: string; identifier: string; name: string; scopes: string[] };

export function randomSlug(prefix = "test"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

function describeTenant(id: string, slug: string): SeededTenant {
  const issuer = issuerFor(slug);
  return { id, slug, issuer, tokenUrl: `${issuer}/oauth/token` };
}

/** A fresh tenant with a random slug, served at {GRANTRY_URL}/t/{slug}. */
export async function seedTenant(slug = randomSlug()): Promise<SeededTenant> {
  const tenant = await createTenant({ slug }, SYSTEM_ACTOR);
  return describeTenant(tenant.id, tenant.slug);
}

/** The default tenant (at the root), created when missing; safe when test files race to create it. */
export async function defaultTenant(): Promise<SeededTenant> {
  const slug = env().GRANTRY_DEFAULT_TENANT;
  const existing = await findTenantBySlug(slug);
  if (existing) return describeTenant(existing.id, slug);
  try {
    return await seedTenant(slug);
  } catch {
    const raced = await findTenantBySlug(slug);
    if (!raced) throw new Error(`Could not create the default tenant "${slug}"`);
    return describeTenant(raced.id, slug);
  }
}

export async function seedApplication(tenantId: string, name = "Test M2M app"): Promise<SeededApp> {
  const { application, secret } = await createApplication(tenantId, { name }, SYSTEM_ACTOR);
  return { id: application.id, clientId: application.clientId, clientSecret: secret.value, secretId: secret.id };
}

/** Another live secret for an application (optionally expiring). */
export async function seedSecret(tenantId: string, applicationId: string, expiresAt?: Date) {
  const secret = await createSecret(tenantId, applicationId, { expires_at: expiresAt?.toISOString() ?? null }, SYSTEM_ACTOR);
  return { id: secret.id, value: secret.value };
}

export type ApiOptions = { identifier?: string; name?: string; scopes?: string[]; signingAlg?: SigningAlgorithm; tokenLifetime?: number };

export async function seedApi(tenantId: string, options: ApiOptions = {}): Promise<SeededApi> {
  const identifier = options.identifier ?? `https://api-${randomBytes(4).toString("hex")}.example.com/`;
  const scopes = options.scopes ?? ["read:things", "write:things"];
  const api = await createApi(
    tenantId,
    {
      name: options.name ?? "Test API",
      identifier,
      scopes: scopes.map((name) => ({ name })),
      signing_alg: options.signingAlg,
      token_lifetime: options.tokenLifetime,
    },
    SYSTEM_ACTOR,
  );
  return { id: api.id, identifier: api.identifier, name: api.name, scopes };
}

/** Grants `scopes` (default: all of the API's) of an API to an application. */
export async function seedGrant(
  tenantId: string,
  applicationId: string,
  api: SeededApi | { id: string; scopes: string[] },
  scopes?: string[],
  expiresAt?: Date | null,
) {
  return setGrant(
    tenantId,
    { application_id: applicationId, api_id: api.id, scopes: scopes ?? api.scopes, expires_at: expiresAt?.toISOString() ?? null },
    SYSTEM_ACTOR,
  );
}

/**
 * Makes a grant one that has expired: time passing, not an admin's choice (the
 * domain refuses an expiry in the past). Through mutateTenant, so the token
 * path's cache sees it as it would see the clock run out.
 */
export async function expireGrant(tenantId: string, grantId: string, expiredAt = new Date(Date.now() - 60_000)): Promise<void> {
  await mutateTenant(tenantId, (tx) => tx.grant.update({ where: { id: grantId }, data: { expiresAt: expiredAt } }));
}

/**
 * Gives an API a lifetime below the domain's 60 s minimum, so a test can watch
 * tokens be refreshed and expire in seconds. Through mutateTenant (no schema
 * checks the value), so the token path's cache sees it like any change.
 */
export async function shortenTokenLifetime(tenantId: string, apiId: string, seconds: number): Promise<void> {
  await mutateTenant(tenantId, (tx) => tx.api.update({ where: { id: apiId }, data: { tokenLifetime: seconds } }));
}

/** The built-in Grantry Management API of a tenant (audience = the issuer). */
export async function managementApi(tenantId: string): Promise<SeededApi> {
  const api = (await listApis(tenantId)).find((a) => a.kind === "management");
  if (!api) throw new Error("The tenant has no Management API");
  return { id: api.id, identifier: api.identifier, name: api.name, scopes: api.scopes.map((s) => s.name) };
}

export type M2MSetup = { tenant: SeededTenant; app: SeededApp; api: SeededApi };

/** The usual trio in one call: a fresh tenant (or the given one), an application, an API, and a grant of all its scopes. */
export async function seedM2M(options: { tenant?: SeededTenant; api?: ApiOptions } = {}): Promise<M2MSetup> {
  const tenant = options.tenant ?? (await seedTenant());
  const app = await seedApplication(tenant.id);
  const api = await seedApi(tenant.id, options.api);
  await seedGrant(tenant.id, app.id, api);
  return { tenant, app, api };
}
