// The Management API's front door: tenant, route, bearer token, scope, input,
// handler, response — in that order, every failure as `{ error: … }`.
// @see RFC 6750 §3.1 for the 401/403 challenges
import { z } from "zod";
import { scopeCeiling } from "@/lib/domain/ceiling";
import { findTenantBySlug } from "@/lib/domain/tenants";
import { slugSchema } from "@/lib/domain/schemas";
import { authenticateBearer, challenge } from "./bearer";
import { log } from "@/lib/observability/log";
import { plainRequestId } from "@/lib/observability/request-log";
import { startSpan } from "@/lib/observability/tracing";
import { resolveTenantRoute } from "@/lib/tenancy";
import { DomainError } from "@/lib/domain/errors";
import { errorResponse, toApiError } from "./errors";
import type { ApiRequest, ApiResponse } from "./http-types";
import { check, queryObject, readJsonBody, readTextBody } from "./input";
import { linkHeader, type PageRequest } from "./pagination";
import { type Route, type RouteContext, type TenantRef, TextBody } from "./route";
import { matchRoute } from "./router";
import { routes } from "./routes";

export const API_PREFIX = "/api/v1";

const emptyQuery = z.object({}).strict();

const BASE_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

async function findTenant(req: ApiRequest): Promise<{ tenant: TenantRef; path: string }> {
  const headers = { host: req.header("host"), "x-forwarded-host": req.header("x-forwarded-host"), "x-forwarded-proto": req.header("x-forwarded-proto") };
  const location = resolveTenantRoute({ path: req.url.pathname, headers });
  const row = location && slugSchema.safeParse(location.slug).success ? await findTenantBySlug(location.slug) : null;
  if (!location || !row || !location.path.startsWith(`${API_PREFIX}/`)) throw new DomainError("not_found", "No such tenant");
  return { tenant: { id: row.id, slug: row.slug, issuer: location.issuer }, path: location.path.slice(API_PREFIX.length) };
}

async function authorize(route: Route, req: ApiRequest, tenant: TenantRef): Promise<RouteContext> {
  const header = req.header;
  if (route.scope === null) return { tenant, caller: null, actor: { type: "system" }, header };
  const caller = await authenticateBearer(req.header("authorization"), tenant);
  if (!caller.scopes.has(route.scope)) {
    const message = `This endpoint needs the scope ${route.scope}; grant it to the application and request a new token`;
    const header = challenge(`${tenant.issuer}${API_PREFIX}`, "insufficient_scope", `Needs the scope ${route.scope}`, route.scope);
    throw new DomainError("insufficient_scope", message, { scope: route.scope }, { "www-authenticate": header });
  }
  return { tenant, caller, actor: { type: "client", id: caller.clientId, label: caller.name, ceiling: scopeCeiling(caller.scopes) }, header };
}

/** Checks the handler's result against the documented schema, so the document never lies and nothing extra leaks. */
function respond(route: Route, result: unknown): { body: unknown; total?: number; text?: TextBody } {
  if (result instanceof TextBody) return { body: undefined, text: result };
  if (!route.response) return { body: undefined };
  const page = route.list ? (result as { items: unknown[]; total: number }) : null;
  const schema = route.list ? route.response.array() : route.response;
  const parsed = schema.safeParse(page ? page.items : result);
  if (!parsed.success) throw new Error(`response of ${route.operationId} does not match its schema`);
  return { body: parsed.data, total: page?.total };
}

function publicUrl(tenant: TenantRef, path: string, search: string): URL {
  return new URL(`${tenant.issuer}${API_PREFIX}${path}${search}`);
}

/** One line per call, under the id the front server gave the request: which client did what, in which tenant, and how it ended. */
export async function handleManagementRequest(req: ApiRequest): Promise<ApiResponse> {
  const seen: { tenant?: string; client?: string; operation?: string } = {};
  const reqId = plainRequestId(req.header("x-request-id"));
  const span = startSpan("management api", req.header);
  const response = await answer(req, seen, reqId);
  const error = response.status >= 400 ? (response.body as { error?: { code?: string } } | undefined)?.error?.code : undefined;
  log().info({ ...(reqId ? { reqId } : {}), ...seen, status: response.status, ...(error ? { error } : {}) }, "management api");
  if (span) {
    span.trace.set({
      "grantry.operation": seen.operation,
      "grantry.tenant": seen.tenant,
      "oauth.client_id": seen.client,
      "http.response.status_code": response.status,
      "grantry.error": error,
    });
    span.end(response.status >= 500);
  }
  return response;
}

async function answer(req: ApiRequest, seen: { tenant?: string; client?: string; operation?: string }, reqId: string | undefined): Promise<ApiResponse> {
  let where = "request";
  try {
    const { tenant, path } = await findTenant(req);
    seen.tenant = tenant.slug;
    // HEAD is GET without the body (RFC 9110 §9.3.2); the server drops the body.
    const method = req.method.toUpperCase();
    const { route, params } = matchRoute(routes, method === "HEAD" ? "GET" : method, path);
    where = route.operationId;
    seen.operation = where;
    const ctx = await authorize(route, req, tenant);
    if (ctx.caller) seen.client = ctx.caller.clientId;
    const input = {
      params: route.params ? check(route.params, params, "path") : undefined,
      query: check(route.query ?? emptyQuery, queryObject(req.url.searchParams), "query"),
      body: route.body ? check(route.body, await readJsonBody(req), "body") : undefined,
      text: route.textBody ? await readTextBody(req, route.textBody.maxBytes()) : "",
      ctx,
    };
    const { body, total, text } = respond(route, await route.handle(input));
    const headers: Record<string, string> = { ...BASE_HEADERS };
    if (total !== undefined) {
      headers["x-total-count"] = String(total);
      headers.link = linkHeader(publicUrl(tenant, path, req.url.search), input.query as unknown as PageRequest, total);
    }
    if (text) return { status: route.status ?? 200, headers, text: { contentType: text.contentType, value: text.text } };
    if (body === undefined) return { status: 204, headers };
    return { status: route.status ?? 200, headers, body };
  } catch (error) {
    const apiError = toApiError(error, where, reqId);
    const response = errorResponse(apiError);
    return { ...response, headers: { ...BASE_HEADERS, ...response.headers } };
  }
}
