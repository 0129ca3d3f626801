// The one entry to the protocol: which paths are protocol endpoints, and the
// dispatch of a request to its tenant and handler. Both adapters (node:http in
// server.ts, Next route handlers) call only this module.
import { resolveTenantRoute, type TenantRoute } from "@/lib/tenancy";
import { tenantBySlug } from "./cache";
import { handleJwks, handleMetadata } from "./discovery";
import { MethodNotAllowed, NotFound, OAuthError, errorResponse, preflightResponse } from "./errors";
import { handleIntrospection } from "./introspection";
import { isDatabaseUnavailable } from "@/lib/db-errors";
import { startConfigListener } from "./listen";
import { handleRevocation } from "./revocation";
import { handleTokenRequest, type TenantContext } from "./token-endpoint";
import type { HeaderMap, ProtocolRequest, ProtocolResponse } from "./types";
import { logUnexpected } from "@/lib/unexpected";

type Endpoint = { methods: readonly string[]; handle: (req: ProtocolRequest, tenant: TenantContext) => Promise<ProtocolResponse> };

const POST = ["POST"] as const;
const GET = ["GET", "HEAD"] as const;

/** Paths relative to the tenant's issuer. */
const ENDPOINTS: Record<string, Endpoint> = {
  "/oauth/token": { methods: POST, handle: handleTokenRequest },
  "/oauth/m2m/token": { methods: POST, handle: handleTokenRequest },
  "/oauth/introspect": { methods: POST, handle: handleIntrospection },
  "/oauth/revoke": { methods: POST, handle: handleRevocation },
  "/.well-known/jwks.json": { methods: GET, handle: (_req, tenant) => handleJwks(tenant) },
  "/.well-known/openid-configuration": { methods: GET, handle: (_req, tenant) => handleMetadata(tenant, true) },
  "/.well-known/oauth-authorization-server": { methods: GET, handle: (_req, tenant) => handleMetadata(tenant, false) },
};

const SLUG = /^[a-z0-9-]{3,32}$/;

/** RFC 8414 §3.1 inserts the issuer's path after the well-known name: /.well-known/oauth-authorization-server/t/acme. */
const INSERTED_WELL_KNOWN = /^\/\.well-known\/(oauth-authorization-server|openid-configuration)(\/t\/[^/]+)$/;

/** A protocol endpoint and the tenant route it was found under. */
export type Located = { route: TenantRoute; endpoint: Endpoint };

/** The endpoint a path names, or null. Cheap and free of I/O: the node adapter asks on every request. */
export function locate(rawPath: string, headers: HeaderMap): Located | null {
  const inserted = INSERTED_WELL_KNOWN.exec(rawPath);
  const path = inserted ? `${inserted[2]}/.well-known/${inserted[1]}` : rawPath;
  let route: TenantRoute | null;
  try {
    route = resolveTenantRoute({ path, headers });
  } catch {
    return null; // e.g. a malformed percent-escape in the slug
  }
  if (!route) return null;
  const endpoint = Object.prototype.hasOwnProperty.call(ENDPOINTS, route.path) ? ENDPOINTS[route.path] : undefined;
  if (!endpoint) return null;
  // A tenant is served under its own issuer only: not the default tenant under /t/default,
  // nor a host-addressed tenant under /t/{slug}, whose discovery would name another issuer.
  if (route.path !== path && !route.issuer.endsWith(`/t/${route.slug}`)) return null;
  return { route, endpoint };
}

/** `located`: what `locate` found for this request, when the adapter already asked (it is not looked up twice). */
export async function handleProtocolRequest(req: ProtocolRequest, located = locate(req.path, req.headers)): Promise<ProtocolResponse> {
  startConfigListener();
  try {
    if (!located) throw new NotFound("No such endpoint");
    const { route, endpoint } = located;
    const method = req.method.toUpperCase();
    // Before the tenant lookup: a preflight reveals nothing, and costs no database read.
    if (method === "OPTIONS") return preflightResponse(endpoint.methods);
    if (!endpoint.methods.includes(method)) throw new MethodNotAllowed(endpoint.methods);
    req.trace?.set({ "http.route": route.path, "grantry.tenant": route.slug });
    const tenant = SLUG.test(route.slug) ? await tenantBySlug(route.slug) : null;
    if (!tenant) throw new NotFound("No tenant is served at this address");
    const response = await endpoint.handle(req, { id: tenant.id, slug: tenant.slug, issuer: route.issuer });
    return method === "HEAD" ? { ...response, body: "" } : response;
  } catch (error) {
    if (!(error instanceof OAuthError) && !isDatabaseUnavailable(error)) logUnexpected("protocol request", error, req.requestId);
    return errorResponse(error);
  }
}
