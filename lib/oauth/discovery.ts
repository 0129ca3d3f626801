// GET {issuer}/.well-known/jwks.json, /openid-configuration and
// /oauth-authorization-server. Each names the issuer it was fetched from, so
// strict clients (oauth4webapi, openid-client) accept it.
// @see RFC 8414 §2 and §3, RFC 9449 §5.1, RFC 7517 §5, OpenID Connect Discovery 1.0 §3
import { tenantJwks, tenantSnapshot } from "./cache";
import { ASSERTION_ALGORITHMS } from "@/lib/domain/public-keys";
import { DPOP_ALGORITHMS } from "./dpop";
import { cacheableJsonResponse } from "./errors";
import type { TenantContext } from "./token-endpoint";
import type { ProtocolResponse } from "./types";

const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"];

export type MetadataOptions = { scopes: string[]; oidc: boolean; algorithms: string[] };

const ALGORITHM_ORDER = ["RS256", "PS256", "ES256", "EdDSA"];

/**
 * The algorithms of the tenant's published keys, RS256 first (OpenID
 * Connect Discovery requires it, and the tenant always has an RS256 key).
 * Middleware such as express-oauth2-jwt-bearer takes this list as the
 * access-token algorithms it allows: listing RS256 alone made it refuse
 * every ES256, PS256 and EdDSA token.
 */
export function signingAlgorithms(keys: ReadonlyArray<{ alg?: string }>): string[] {
  const present = new Set(keys.map((key) => key.alg));
  return ALGORITHM_ORDER.filter((alg) => alg === "RS256" || present.has(alg));
}

/**
 * The authorization server metadata. `response_types_supported` is REQUIRED
 * by RFC 8414; "token" keeps validators that reject an empty list happy, and
 * no flow can use it since there is no authorization endpoint.
 * `scopes_supported` is the union of the tenant's API scopes: which of them a
 * token may carry depends on the audience and the client's grant.
 */
export function authorizationServerMetadata(issuer: string, { scopes, oidc, algorithms }: MetadataOptions) {
  return {
    issuer,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    grant_types_supported: ["client_credentials"],
    response_types_supported: ["token"],
    // Every endpoint that authenticates clients does it one way (client-auth.ts).
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
    scopes_supported: scopes,
    // RFC 9449 §5.1: a token request may carry a DPoP proof signed with one of these.
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    // OpenID Connect Discovery §3 marks these REQUIRED; Grantry issues no ID tokens,
    // but .NET, Spring and other OIDC metadata parsers refuse a document without them.
    ...(oidc ? { subject_types_supported: ["public"], id_token_signing_alg_values_supported: algorithms } : {}),
  };
}

export async function handleMetadata(tenant: TenantContext, oidc: boolean): Promise<ProtocolResponse> {
  const [snapshot, keys] = await Promise.all([tenantSnapshot(tenant.id), tenantJwks(tenant.id)]);
  return cacheableJsonResponse(authorizationServerMetadata(tenant.issuer, { scopes: snapshot.scopeNames, oidc, algorithms: signingAlgorithms(keys) }));
}

/** Current and previous public keys; a rotated key stays until every token it signed has expired. */
export async function handleJwks(tenant: TenantContext): Promise<ProtocolResponse> {
  return cacheableJsonResponse({ keys: await tenantJwks(tenant.id) });
}
