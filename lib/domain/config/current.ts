// A tenant's configuration as it is stored: what export writes out and what
// a plan compares a file with. Read through the caller's client, so apply
// reads it again inside its transaction, under the tenant's lock.
import type { Tx } from "@/lib/db";
import { canonicalIdentifier } from "../identifiers";
import { MANAGEMENT_API_PLACEHOLDER } from "../management-api";
import type { PublicJwk } from "../public-keys";
import type { SigningAlgorithm } from "../schemas";
import { CONFIG_API_VERSION, CONFIG_KIND, type TenantConfig } from "../shapes/config";
import { NotFoundError, assertThat } from "../errors";

type Reader = Pick<Tx, "tenant" | "api" | "scope" | "application" | "grant" | "clientKey" | "federatedCredential">;
type QuotaMode = "enforce" | "log";

export type CurrentScope = { id: string; name: string; description: string };
export type CurrentApi = {
  id: string;
  name: string;
  identifier: string;
  canonical: string;
  tokenLifetime: number;
  signingAlg: SigningAlgorithm;
  dpopRequired: boolean;
  scopes: CurrentScope[];
};
export type CurrentApplication = {
  id: string;
  key: string;
  clientId: string;
  name: string;
  description: string;
  enabled: boolean;
  quotaPerHour: number | null;
  quotaPerDay: number | null;
  quotaMode: QuotaMode;
  assertionsOnly: boolean;
  dpopRequired: boolean;
  /** Its public key sets not revoked (expired ones too: a file states them as they are), oldest first. */
  keys: CurrentKey[];
  /** Its federated credentials, oldest first. */
  federated: CurrentFederated[];
};
export type CurrentFederated = {
  id: string;
  name: string;
  issuer: string;
  jwksUri: string | null;
  subject: string;
  audience: string;
  conditions: Record<string, string>;
  preset: "github" | "gitlab" | "kubernetes" | "spiffe" | null;
};
/** `jwks`: the normalised JWK Set, as createClientKey stores it. */
export type CurrentKey = { id: string; name: string; jwks: { keys: PublicJwk[] }; jwksUri: string | null; expiresAt: Date | null };
export type CurrentGrant = {
  id: string;
  applicationId: string;
  apiId: string;
  scopes: string[];
  expiresAt: Date | null;
  quotaPerHour: number | null;
  quotaPerDay: number | null;
  quotaMode: QuotaMode;
};
export type CurrentConfig = {
  tenant: { id: string; slug: string; name: string };
  /** Custom APIs only; the Management API is `managementApi`. */
  apis: CurrentApi[];
  managementApi: { id: string; scopes: CurrentScope[] };
  applications: CurrentApplication[];
  grants: CurrentGrant[];
};

export async function readCurrentConfig(client: Reader, tenantId: string): Promise<CurrentConfig> {
  const [tenant, apis, scopes, applications, grants, keys, federated] = await Promise.all([
    client.tenant.findUnique({ where: { id: tenantId }, select: { id: true, slug: true, name: true } }),
    client.api.findMany({
      where: { tenantId },
      select: { id: true, kind: true, name: true, identifier: true, canonicalIdentifier: true, tokenLifetime: true, signingAlg: true, dpopRequired: true },
    }),
    client.scope.findMany({ where: { tenantId }, select: { id: true, apiId: true, name: true, description: true } }),
    client.application.findMany({
      where: { tenantId },
      select: {
        id: true,
        key: true,
        clientId: true,
        name: true,
        description: true,
        enabled: true,
        quotaPerHour: true,
        quotaPerDay: true,
        quotaMode: true,
        assertionsOnly: true,
        dpopRequired: true,
      },
    }),
    client.grant.findMany({
      where: { tenantId },
      select: {
        id: true,
        applicationId: true,
        apiId: true,
        expiresAt: true,
        quotaPerHour: true,
        quotaPerDay: true,
        quotaMode: true,
        scopes: { select: { scope: { select: { name: true } } } },
      },
    }),
    client.clientKey.findMany({
      where: { tenantId, revokedAt: null },
      select: { id: true, applicationId: true, name: true, jwks: true, jwksUri: true, expiresAt: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    client.federatedCredential.findMany({
      where: { tenantId },
      select: { id: true, applicationId: true, name: true, issuer: true, jwksUri: true, subject: true, audience: true, conditions: true, preset: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
  ]);
  assertThat(tenant, new NotFoundError("Tenant"));
  const scopesOf = (apiId: string) =>
    scopes
      .filter((s) => s.apiId === apiId)
      .map(({ id, name, description }) => ({ id, name, description }))
      .sort((a, b) => compare(a.name, b.name));
  const management = apis.find((a) => a.kind === "management");
  assertThat(management, new NotFoundError("Grantry Management API"));
  return {
    tenant,
    apis: apis
      .filter((a) => a.kind === "custom")
      .map((a) => ({
        id: a.id,
        name: a.name,
        identifier: a.identifier,
        // Rows stored before canonical identifiers, and colliding then, have none: their own form stands in.
        canonical: a.canonicalIdentifier ?? canonicalIdentifier(a.identifier),
        tokenLifetime: a.tokenLifetime,
        signingAlg: a.signingAlg,
        dpopRequired: a.dpopRequired,
        scopes: scopesOf(a.id),
      }))
      .sort((a, b) => compare(a.identifier, b.identifier)),
    managementApi: { id: management.id, scopes: scopesOf(management.id) },
    applications: applications.map((a) => ({
      ...a,
      keys: keys
        .filter((k) => k.applicationId === a.id)
        .map((k) => ({
          id: k.id,
          name: k.name,
          jwks: k.jwksUri === null ? (JSON.parse(k.jwks) as { keys: PublicJwk[] }) : { keys: [] },
          jwksUri: k.jwksUri,
          expiresAt: k.expiresAt,
        })),
      federated: federated
        .filter((f) => f.applicationId === a.id)
        .map((f) => ({
          id: f.id,
          name: f.name,
          issuer: f.issuer,
          jwksUri: f.jwksUri,
          subject: f.subject,
          audience: f.audience,
          conditions: JSON.parse(f.conditions) as Record<string, string>,
          preset: f.preset as CurrentFederated["preset"],
        })),
    })),
    grants: grants.map(({ scopes: held, ...grant }) => ({ ...grant, scopes: held.map((s) => s.scope.name).sort(compare) })),
  };
}

/** Code-point order: the same on every machine and database collation, so exports are stable. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The file of the stored configuration: every field written, in a stable order, so exporting twice gives the same text. */
export function toTenantFile(current: CurrentConfig): TenantConfig {
  const appKey = new Map(current.applications.map((a) => [a.id, a.key]));
  const apiRef = new Map<string, string>([[current.managementApi.id, MANAGEMENT_API_PLACEHOLDER], ...current.apis.map((a) => [a.id, a.identifier] as const)]);
  const grants = current.grants
    .map((g) => ({
      application: appKey.get(g.applicationId)!,
      api: apiRef.get(g.apiId)!,
      scopes: g.scopes,
      expires_at: g.expiresAt ? g.expiresAt.toISOString() : null,
      quota_per_hour: g.quotaPerHour,
      quota_per_day: g.quotaPerDay,
      quota_mode: g.quotaMode,
    }))
    .sort((a, b) => compare(a.application, b.application) || compare(a.api, b.api));
  return {
    apiVersion: CONFIG_API_VERSION,
    kind: CONFIG_KIND,
    tenant: { name: current.tenant.name },
    apis: current.apis.map((a) => ({
      identifier: a.identifier,
      name: a.name,
      signing_alg: a.signingAlg,
      token_lifetime: a.tokenLifetime,
      dpop_required: a.dpopRequired,
      scopes: a.scopes.map((s) => ({ name: s.name, description: s.description })),
    })),
    applications: [...current.applications]
      .sort((a, b) => compare(a.key, b.key))
      .map((a) => ({
        key: a.key,
        name: a.name,
        description: a.description,
        enabled: a.enabled,
        quota_per_hour: a.quotaPerHour,
        quota_per_day: a.quotaPerDay,
        quota_mode: a.quotaMode,
        assertions_only: a.assertionsOnly,
        dpop_required: a.dpopRequired,
        // Only an application with keys lists them: an entry without `public_keys` leaves keys as they are.
        ...(a.keys.length
          ? {
              public_keys: a.keys.map((k) => ({
                name: k.name,
                ...(k.jwksUri !== null ? { jwks_uri: k.jwksUri } : { public_key: k.jwks }),
                expires_at: k.expiresAt ? k.expiresAt.toISOString() : null,
              })),
            }
          : {}),
        ...(a.federated.length
          ? {
              federated_credentials: a.federated.map((f) => ({
                name: f.name,
                issuer: f.issuer,
                ...(f.jwksUri ? { jwks_uri: f.jwksUri } : {}),
                subject: f.subject,
                audience: f.audience,
                ...(Object.keys(f.conditions).length ? { conditions: f.conditions } : {}),
                ...(f.preset ? { preset: f.preset } : {}),
              })),
            }
          : {}),
      })),
    grants,
  };
}
