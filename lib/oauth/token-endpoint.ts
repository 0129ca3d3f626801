// POST {issuer}/oauth/token and /oauth/m2m/token: the client credentials grant.
// Reads only the in-process cache; the one write (usage) is batched.
// @see RFC 6749 §4.4, §5.1, §5.2; RFC 8707; RFC 9068; PRODUCT.md "Token endpoint"
import { issueAccessToken } from "./access-token";
import { parseBody, printable } from "./body";
import { reloadAfterMiss, tenantSnapshot } from "./cache";
import { authenticateClient, extractClientCredentials } from "./client-auth";
import { isDatabaseUnavailable } from "@/lib/db-errors";
import { takeToken } from "@/lib/rate-limit";
import { AccessDenied, InvalidClient, InvalidRequest, InvalidTarget, OAuthError, TooManyRequests, UnsupportedGrantType, errorResponse, jsonResponse } from "./errors";
import { readParams, tokenRequestSchema } from "./params";
import { audienceOf, findApi, requestedAudience, resolveScope } from "./scope";
import { grantKey } from "./store";
import type { ProtocolRequest, ProtocolResponse } from "./types";
import { recordSecretUse, recordTokenRequest, type UsageEvent } from "./usage";

export type TenantContext = { id: string; slug: string; issuer: string };

export type TokenResponseBody = { access_token: string; token_type: "Bearer"; expires_in: number; scope: string };

export async function handleTokenRequest(req: ProtocolRequest, tenant: TenantContext): Promise<ProtocolResponse> {
  const usage: UsageEvent = { tenantId: tenant.id, outcome: "server_error" };
  try {
    const body = await clientCredentialsGrant(req, tenant, usage);
    usage.outcome = "ok";
    return jsonResponse(200, body);
  } catch (error) {
    if (error instanceof OAuthError) usage.outcome = error.error;
    else if (isDatabaseUnavailable(error)) usage.outcome = "temporarily_unavailable";
    else console.error("grantry: token request failed", error);
    if (error instanceof InvalidClient || error instanceof InvalidTarget || error instanceof AccessDenied) reloadAfterMiss(tenant.id);
    return errorResponse(error);
  } finally {
    recordTokenRequest(usage);
  }
}

/** A bucket's answer, awaited only when it came from Redis: the in-memory path stays synchronous. */
async function limit(name: "tokenPerAddress" | "tokenPerClient", key: string): Promise<void> {
  const taken = takeToken(name, key);
  const decision = taken instanceof Promise ? await taken : taken;
  if (!decision.allowed) throw new TooManyRequests(decision.retryAfterSeconds);
}

async function clientCredentialsGrant(req: ProtocolRequest, tenant: TenantContext, usage: UsageEvent): Promise<TokenResponseBody> {
  await limit("tokenPerAddress", req.remoteAddress ?? "unknown");
  const params = readParams(tokenRequestSchema, parseBody(req));
  const credentials = extractClientCredentials(req.headers, params, tenant.issuer);
  const snapshot = await tenantSnapshot(tenant.id);
  const { client, secretId } = authenticateClient(credentials, snapshot, tenant.issuer);
  usage.applicationId = client.applicationId;
  // Counted only once the secret is proven, so nobody can drain another client's bucket.
  await limit("tokenPerClient", client.clientId);
  recordSecretUse(secretId);

  if (params.grant_type === undefined) throw new InvalidRequest("grant_type is required");
  if (params.grant_type !== "client_credentials") {
    throw new UnsupportedGrantType(`grant_type "${printable(params.grant_type)}" is not supported; use client_credentials`);
  }

  const requested = requestedAudience(params);
  const api = findApi(snapshot, requested, tenant.issuer);
  if (!api) throw new InvalidTarget(`No API with the identifier "${printable(requested, 200)}" exists in this tenant`);
  usage.apiId = api.id;
  const audience = audienceOf(api, tenant.issuer);

  const grant = snapshot.grants.get(grantKey(client.applicationId, api.id));
  if (!grant) {
    throw new AccessDenied(`This application is not authorized for the API "${api.name}" (${audience}): a grant to that API is needed`);
  }
  if (grant.expiresAt !== null && grant.expiresAt <= Date.now()) {
    throw new AccessDenied(`This application's grant to the API "${api.name}" (${audience}) has expired: a new grant is needed`);
  }
  const scope = resolveScope(params.scope, grant.scopes);

  const { accessToken, expiresIn } = await issueAccessToken({ tenantId: tenant.id, issuer: tenant.issuer, clientId: client.clientId, api, audience, scope });
  return { access_token: accessToken, token_type: "Bearer", expires_in: expiresIn, scope };
}
