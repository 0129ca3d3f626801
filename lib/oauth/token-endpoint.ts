// POST {issuer}/oauth/token and /oauth/m2m/token: the client credentials grant.
// Reads only the in-process cache; its writes (usage counters, the token log) are batched.
// @see RFC 6749 §4.4, §5.1, §5.2; RFC 8707; RFC 9068; RFC 9449 §5 (DPoP)
import { issueAccessToken } from "./access-token";
import { parseBody, printable } from "./body";
import { reloadAfterMiss, tenantSnapshot } from "./cache";
import { authenticateClient, extractClientCredentials, type AuthenticatedClient } from "./client-auth";
import { isDatabaseUnavailable } from "@/lib/db-errors";
import { currentDpopNonce, dpopNoncesOn, readDpopHeader, verifyDpopProof } from "./dpop";
import { chargeQuotas, quotaHeaders, type QuotaDecision, type QuotaSubject } from "@/lib/quota";
import { takeToken, type Decision } from "@/lib/rate-limit";
import {
  AccessDenied,
  InvalidClient,
  InvalidDpopProof,
  InvalidRequest,
  InvalidTarget,
  OAuthError,
  QuotaExceeded,
  TooManyRequests,
  UnsupportedGrantType,
  dpopNonceHeaders,
  errorResponse,
  jsonResponse,
} from "./errors";
import { readParams, TOKEN_REQUEST_PARAMS } from "./params";
import { audienceOf, findApi, requestedAudience, resolveScope } from "./scope";
import { grantKey, type CachedApi, type CachedClient, type CachedGrant } from "./store";
import { recordTokenLog } from "./token-log";
import { headerValue, type ProtocolRequest, type ProtocolResponse } from "./types";
import { recordFederatedUse, recordKeyUse, recordSecretUse, recordTokenRequest, type UsageEvent } from "./usage";
import { RefusedAssertion } from "./refusal";
import { logUnexpected } from "@/lib/unexpected";
import { observeTokenRequest } from "@/lib/observability/metrics";

export type TenantContext = { id: string; slug: string; issuer: string };

/**
 * What a request contributes to the usage counters and the token log. The
 * client's own words (scope asked, user agent) are kept only once it has
 * authenticated: a stranger varying them would otherwise write a row per request.
 */
type RequestRecord = UsageEvent & { authenticated?: boolean; scopeRequested?: string; scopeGranted?: string; reason?: string };

/** "DPoP" when the token is bound to the key of the request's DPoP proof (RFC 9449 §5). */
export type TokenResponseBody = { access_token: string; token_type: "Bearer" | "DPoP"; expires_in: number; scope: string };

export async function handleTokenRequest(req: ProtocolRequest, tenant: TenantContext): Promise<ProtocolResponse> {
  const response = await answerTokenRequest(req, tenant);
  // RFC 9449 §8: with nonces on, every answer gives the client the nonce for its next proof.
  if (dpopNoncesOn() && !response.headers["DPoP-Nonce"]) Object.assign(response.headers, dpopNonceHeaders(currentDpopNonce()));
  return response;
}

async function answerTokenRequest(req: ProtocolRequest, tenant: TenantContext): Promise<ProtocolResponse> {
  const started = performance.now();
  const usage: RequestRecord = { tenantId: tenant.id, outcome: "server_error" };
  try {
    const { body, headers } = await clientCredentialsGrant(req, tenant, usage);
    usage.outcome = "ok";
    usage.scopeGranted = body.scope;
    return jsonResponse(200, body, headers);
  } catch (error) {
    if (error instanceof QuotaExceeded) usage.outcome = "quota_exceeded";
    else if (error instanceof OAuthError) {
      usage.outcome = error.error;
      if (error instanceof RefusedAssertion) usage.reason = error.reason;
    } else if (isDatabaseUnavailable(error)) usage.outcome = "temporarily_unavailable";
    else logUnexpected("token request", error, req.requestId);
    if (error instanceof InvalidClient || error instanceof InvalidTarget || error instanceof AccessDenied) reloadAfterMiss(tenant.id);
    return errorResponse(error);
  } finally {
    req.trace?.set({ "oauth.outcome": usage.outcome });
    recordTokenRequest(usage);
    observeTokenRequest(tenant.slug, usage.outcome, started);
    recordTokenLog({
      tenantId: tenant.id,
      at: Date.now(),
      applicationId: usage.applicationId,
      apiId: usage.apiId,
      outcome: usage.outcome,
      reason: usage.reason,
      scopeRequested: usage.scopeRequested,
      scopeGranted: usage.scopeGranted,
      address: req.remoteAddress,
      userAgent: usage.authenticated ? headerValue(req.headers, "user-agent") : undefined,
      latencyMs: performance.now() - started,
    });
  }
}

/**
 * Takes a token from a bucket. A promise only when the answer comes from
 * Redis: the in-memory path stays synchronous, so the caller does not wait a
 * turn of the event loop for nothing.
 */
function limit(name: "tokenPerAddress" | "tokenPerClient", key: string): Promise<void> | undefined {
  const taken = takeToken(name, key);
  if (taken instanceof Promise) return taken.then(refuseOverLimit);
  refuseOverLimit(taken);
}

function refuseOverLimit(decision: Decision): void {
  if (!decision.allowed) throw new TooManyRequests(decision.retryAfterSeconds);
}

/**
 * Charges the token to the application's and the grant's quotas (called only
 * when one has a quota, so most requests skip it). Over an enforced quota the request
 * is refused; over a log-only one it is issued and flagged.
 */
async function chargeQuota(client: CachedClient, grant: CachedGrant, usage: UsageEvent): Promise<Record<string, string>> {
  const subjects: QuotaSubject[] = [];
  if (client.quota) subjects.push({ kind: "application", id: client.applicationId, policy: client.quota });
  if (grant.quota) subjects.push({ kind: "grant", id: grant.id, policy: grant.quota });
  const charged = chargeQuotas(subjects);
  const decision = charged instanceof Promise ? await charged : charged;
  const headers = quotaHeaders(decision);
  if (!decision.allowed) throw new QuotaExceeded(quotaMessage(decision), Math.max(...decision.exceeded.map((b) => b.resetsInSeconds)), headers);
  usage.flagged = decision.flagged;
  return headers;
}

function quotaMessage(decision: QuotaDecision): string {
  const limits = decision.exceeded.map(
    (b) =>
      `${b.limit} tokens ${b.period === "per_hour" ? "per hour" : "per day"} for this ${b.subject.kind === "application" ? "application" : "application and API"}`,
  );
  return `Token quota exceeded: ${limits.join(" and ")}; cache tokens until they expire, or retry after Retry-After seconds`;
}

async function clientCredentialsGrant(
  req: ProtocolRequest,
  tenant: TenantContext,
  usage: RequestRecord,
): Promise<{ body: TokenResponseBody; headers?: Record<string, string> }> {
  const addressLimit = limit("tokenPerAddress", req.remoteAddress ?? "unknown");
  if (addressLimit) await addressLimit;
  const params = readParams(TOKEN_REQUEST_PARAMS, parseBody(req));
  const credentials = extractClientCredentials(req.headers, params, tenant.issuer);
  const snapshot = await tenantSnapshot(tenant.id);
  // A failed authentication is counted against the application its client_id names (not yet proven: that is what failed).
  usage.applicationId = snapshot.clients.get(credentials.clientId)?.applicationId;
  let authenticated: AuthenticatedClient;
  try {
    const authenticating = authenticateClient(credentials, snapshot, tenant.issuer);
    authenticated = authenticating instanceof Promise ? await authenticating : authenticating;
  } catch (error) {
    // For the log: the API a refused client asked for (the answer does not change).
    const asked = params.audience ?? params.resource;
    usage.apiId = asked === undefined ? undefined : findApi(snapshot, asked, tenant.issuer)?.id;
    throw error;
  }
  const { client, credentialId, method } = authenticated;
  usage.applicationId = client.applicationId;
  usage.authenticated = true;
  usage.scopeRequested = params.scope;
  req.trace?.set({ "oauth.client_id": client.clientId });
  // Counted only once the secret is proven, so nobody can drain another client's bucket.
  const clientLimit = limit("tokenPerClient", client.clientId);
  if (clientLimit) await clientLimit;
  if (method === "private_key_jwt") recordKeyUse(credentialId);
  else if (method === "federated") recordFederatedUse(credentialId);
  else recordSecretUse(credentialId);

  if (params.grant_type === undefined) throw new InvalidRequest("grant_type is required");
  if (params.grant_type !== "client_credentials") {
    throw new UnsupportedGrantType(`grant_type "${printable(params.grant_type)}" is not supported; use client_credentials`);
  }
  const proof = readDpopHeader(req.headers);
  const bound =
    proof === undefined ? null : await verifyDpopProof(proof, { url: endpointUrl(req, tenant), method: req.method.toUpperCase(), nonces: dpopNoncesOn() });

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
  if (!bound) refuseUnbound(client, api, audience);
  const scope = resolveScope(params.scope, grant.scopes, grant.scope);
  const headers = client.quota || grant.quota ? await chargeQuota(client, grant, usage) : undefined;

  const input = { tenantId: tenant.id, issuer: tenant.issuer, clientId: client.clientId, api, audience, scope, jkt: bound?.jkt };
  const { accessToken, expiresIn } = await (req.trace ? req.trace.child("jwt.sign", () => issueAccessToken(input)) : issueAccessToken(input));
  return { body: { access_token: accessToken, token_type: bound ? "DPoP" : "Bearer", expires_in: expiresIn, scope }, headers };
}

/** The URL this request was sent to, as the client named it: the token endpoint under this tenant's issuer (either path). */
function endpointUrl(req: ProtocolRequest, tenant: TenantContext): string {
  return `${tenant.issuer}${req.path.endsWith("/oauth/m2m/token") ? "/oauth/m2m/token" : "/oauth/token"}`;
}

/** Refuses a request without a proof when the API or the application requires DPoP, naming which. */
function refuseUnbound(client: CachedClient, api: CachedApi, audience: string): void {
  if (api.dpopRequired) throw new InvalidDpopProof(`A DPoP proof is required: the API "${api.name}" (${audience}) requires DPoP-bound tokens`);
  if (client.dpopRequired) throw new InvalidDpopProof("A DPoP proof is required: this application is set to require DPoP");
}
