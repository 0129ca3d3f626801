// grants: list (by application or audience), create, get, update scopes, delete.
import { z } from "zod";
import { listApiSummaries } from "@/lib/domain/apis";
import { deleteGrant, getGrant, listGrants, setGrant, updateGrant } from "@/lib/domain/grants";
import { createGrantInput, grantSchema, presentGrant, updateGrantInput } from "@/lib/domain/shapes/grants";
import { listPage, paginationShape, presentPage } from "../pagination";
import { idParams } from "../params";
import { defineRoute } from "../route";

const tag = "Grants";

const listGrantsQuery = z
  .object({
    ...paginationShape,
    application_id: z.string().max(64).optional().describe("Only this application's grants"),
    api_id: z.string().max(64).optional().describe("Only grants of this API"),
    audience: z.string().max(400).optional().describe("Only grants of the API with this identifier"),
  })
  .strict();

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
        const byAudience = (await listApiSummaries(ctx.tenant.id)).find((api) => api.identifier === query.audience)?.id;
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
    body: createGrantInput,
    response: grantSchema,
    status: 201,
    handle: async ({ body, ctx }) => presentGrant(await setGrant(ctx.tenant.id, body, ctx.actor, "create"), ctx.tenant.issuer),
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
    body: updateGrantInput,
    response: grantSchema,
    handle: async ({ params, body, ctx }) => presentGrant(await updateGrant(ctx.tenant.id, params.id, body, ctx.actor), ctx.tenant.issuer),
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
