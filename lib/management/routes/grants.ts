// grants: list (by application or audience), create, get, update scopes, delete.
import { listApiSummaries } from "@/lib/domain/apis";
import { deleteGrant, getGrant, listGrants, setGrant, updateGrant } from "@/lib/domain/grants";
import { ValidationError } from "@/lib/domain/errors";
import { listPage, presentPage } from "../pagination";
import { defineRoute, type TenantRef } from "../route";
import { idParams } from "../schemas/common";
import { createGrantBody, grantSchema, listGrantsQuery, presentGrant, updateGrantBody } from "../schemas/grants";
import { withoutUndefined } from "./applications";

const tag = "Grants";

/** The API an audience names (the issuer names the Management API), or null. */
async function apiIdForAudience(tenant: TenantRef, audience: string): Promise<string | null> {
  return (await listApiSummaries(tenant.id)).find((api) => api.identifier === audience)?.id ?? null;
}

const options = (body: { expires_at?: string | null; quota_per_hour?: number | null; quota_per_day?: number | null; quota_mode?: "enforce" | "log" }) =>
  withoutUndefined({
    expiresAt: body.expires_at === undefined ? undefined : body.expires_at === null ? null : new Date(body.expires_at),
    quotaPerHour: body.quota_per_hour,
    quotaPerDay: body.quota_per_day,
    quotaMode: body.quota_mode,
  });

export const grantRoutes = [
  defineRoute({
    method: "GET",
    path: "/grants",
    operationId: "listGrants",
    tag,
    scope: "read:grants",
    summary: "List grants, optionally of one application or one API",
    query: listGrantsQuery,
    response: grantSchema,
    list: true,
    async handle({ query, ctx }) {
      let apiId = query.api_id;
      if (query.audience !== undefined) {
        const byAudience = await apiIdForAudience(ctx.tenant, query.audience);
        if (!byAudience || (apiId && apiId !== byAudience)) return { items: [], total: 0 };
        apiId = byAudience;
      }
      const grants = await listGrants(ctx.tenant.id, { applicationId: query.application_id, apiId }, listPage(query));
      return presentPage(grants, (g) => presentGrant(g, ctx.tenant.issuer));
    },
  }),
  defineRoute({
    method: "POST",
    path: "/grants",
    operationId: "createGrant",
    tag,
    scope: "create:grants",
    summary: "Grant an application scopes of an API",
    description:
      "Name the API by `api_id` or by `audience` (the Grantry Management API's audience is the tenant's issuer URL). 409 when the application already holds a grant to the API: update that one.",
    body: createGrantBody,
    response: grantSchema,
    status: 201,
    async handle({ body, ctx }) {
      if ((body.api_id === undefined) === (body.audience === undefined)) throw new ValidationError({ api_id: "Give exactly one of api_id and audience" });
      const apiId = body.api_id ?? (await apiIdForAudience(ctx.tenant, body.audience!));
      if (!apiId) throw new ValidationError({ audience: "No API of this tenant has this identifier" });
      const grant = await setGrant(ctx.tenant.id, { applicationId: body.application_id, apiId, scopes: body.scopes, ...options(body) }, ctx.actor, "create");
      return presentGrant(grant, ctx.tenant.issuer);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/grants/{id}",
    operationId: "getGrant",
    tag,
    scope: "read:grants",
    summary: "Get a grant",
    params: idParams,
    response: grantSchema,
    handle: async ({ params, ctx }) => presentGrant(await getGrant(ctx.tenant.id, params.id), ctx.tenant.issuer),
  }),
  defineRoute({
    method: "PATCH",
    path: "/grants/{id}",
    operationId: "updateGrant",
    tag,
    scope: "update:grants",
    summary: "Change a grant's scopes, expiry or quotas",
    params: idParams,
    body: updateGrantBody,
    response: grantSchema,
    handle: async ({ params, body, ctx }) =>
      presentGrant(await updateGrant(ctx.tenant.id, params.id, { scopes: body.scopes, ...options(body) }, ctx.actor), ctx.tenant.issuer),
  }),
  defineRoute({
    method: "DELETE",
    path: "/grants/{id}",
    operationId: "deleteGrant",
    tag,
    scope: "delete:grants",
    summary: "Delete a grant",
    description: "The application gets no more tokens for the API, and its live tokens for the Grantry Management API stop working at once.",
    params: idParams,
    handle: async ({ params, ctx }) => deleteGrant(ctx.tenant.id, params.id, ctx.actor),
  }),
];
