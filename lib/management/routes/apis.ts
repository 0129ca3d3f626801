// apis: list, create, get, update, delete (not the Management API); apis/{id}/scopes: list, add, remove.
import { z } from "zod";
import { addScope, createApi, deleteApi, getApi, listApis, listScopes, removeScope, updateApi } from "@/lib/domain/apis";
import { addScopeInput, apiSchema, createApiInput, presentApi, scopeSchema, updateApiInput } from "@/lib/domain/shapes/apis";
import { listPage, paginationQuery, presentPage } from "../pagination";
import { idParam, idParams } from "../params";
import { defineRoute } from "../route";

const tag = "APIs";

export const apiRoutes = [
  defineRoute({
    method: "GET",
    path: "/apis",
    operationId: "listApis",
    tag,
    scope: "read:apis",
    summary: "List APIs, the Grantry Management API first",
    query: paginationQuery,
    response: apiSchema,
    list: true,
    handle: async ({ query, ctx }) => presentPage(await listApis(ctx.tenant.id, listPage(query)), presentApi),
  }),
  defineRoute({
    method: "POST",
    path: "/apis",
    operationId: "createApi",
    tag,
    scope: "create:apis",
    summary: "Create an API",
    body: createApiInput,
    response: apiSchema,
    status: 201,
    handle: async ({ body, ctx }) => presentApi(await createApi(ctx.tenant.id, body, ctx.actor)),
  }),
  defineRoute({
    method: "GET",
    path: "/apis/{id}",
    operationId: "getApi",
    tag,
    scope: "read:apis",
    summary: "Get an API with its scopes",
    params: idParams,
    response: apiSchema,
    handle: async ({ params, ctx }) => presentApi(await getApi(ctx.tenant.id, params.id)),
  }),
  defineRoute({
    method: "PATCH",
    path: "/apis/{id}",
    operationId: "updateApi",
    tag,
    scope: "update:apis",
    summary: "Update an API",
    description: "The identifier is immutable. The Grantry Management API cannot be renamed.",
    params: idParams,
    body: updateApiInput,
    response: apiSchema,
    handle: async ({ params, body, ctx }) => presentApi(await updateApi(ctx.tenant.id, params.id, body, ctx.actor)),
  }),
  defineRoute({
    method: "DELETE",
    path: "/apis/{id}",
    operationId: "deleteApi",
    tag,
    scope: "delete:apis",
    summary: "Delete an API and its grants",
    description: "The Grantry Management API cannot be deleted (403 forbidden).",
    params: idParams,
    handle: async ({ params, ctx }) => deleteApi(ctx.tenant.id, params.id, ctx.actor),
  }),
  defineRoute({
    method: "GET",
    path: "/apis/{id}/scopes",
    operationId: "listScopes",
    tag,
    scope: "read:apis",
    summary: "List an API's scopes",
    params: idParams,
    query: paginationQuery,
    response: scopeSchema,
    list: true,
    handle: async ({ params, query, ctx }) => listScopes(ctx.tenant.id, params.id, listPage(query)),
  }),
  defineRoute({
    method: "POST",
    path: "/apis/{id}/scopes",
    operationId: "addScope",
    tag,
    scope: "update:apis",
    summary: "Add a scope to an API",
    params: idParams,
    body: addScopeInput,
    response: scopeSchema,
    status: 201,
    handle: async ({ params, body, ctx }) => addScope(ctx.tenant.id, params.id, body, ctx.actor),
  }),
  defineRoute({
    method: "DELETE",
    path: "/apis/{id}/scopes/{name}",
    operationId: "removeScope",
    tag,
    scope: "update:apis",
    summary: "Remove a scope from an API and from every grant holding it",
    params: z.object({ id: idParam, name: z.string().min(1).max(100).describe("The scope's name (percent-encoded) or id") }).strict(),
    async handle({ params, ctx }) {
      await removeScope(ctx.tenant.id, params.id, params.name, ctx.actor);
    },
  }),
];
