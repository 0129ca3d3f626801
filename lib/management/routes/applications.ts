// applications: list, create (first secret returned once), get, update, delete.
import { z } from "zod";
import { createApplication, deleteApplication, getApplication, listApplications, updateApplication } from "@/lib/domain/applications";
import { listGrants } from "@/lib/domain/grants";
import {
  applicationSchema,
  createApplicationInput,
  newApplicationSchema,
  presentApplication,
  presentSecret,
  updateApplicationInput,
} from "@/lib/domain/shapes/applications";
import { grantSchema, presentGrant } from "@/lib/domain/shapes/grants";
import { listPage, paginationShape, presentPage } from "../pagination";
import { idParams } from "../params";
import { defineRoute } from "../route";

const tag = "Applications";

const listQuery = z.object({ ...paginationShape, q: z.string().max(200).optional().describe("Part of the name, or the exact client_id") }).strict();

export const applicationRoutes = [
  defineRoute({
    method: "GET",
    path: "/applications",
    operationId: "listApplications",
    tag,
    scope: "read:applications",
    summary: "List applications, newest first",
    query: listQuery,
    response: applicationSchema,
    list: true,
    async handle({ query, ctx }) {
      const page = await listApplications(ctx.tenant.id, { q: query.q, page: query.page, perPage: query.per_page });
      return { items: page.items.map(presentApplication), total: page.total };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/applications",
    operationId: "createApplication",
    tag,
    scope: "create:applications",
    summary: "Create an application",
    description: "The response holds the application's first client secret, which is never shown again.",
    body: createApplicationInput,
    response: newApplicationSchema,
    status: 201,
    async handle({ body, ctx }) {
      const { application, secret } = await createApplication(ctx.tenant.id, body, ctx.actor);
      return { ...presentApplication(application), client_secret: secret.value, secret: presentSecret(secret) };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/applications/{id}",
    operationId: "getApplication",
    tag,
    scope: "read:applications",
    summary: "Get an application",
    params: idParams,
    response: applicationSchema,
    handle: async ({ params, ctx }) => presentApplication(await getApplication(ctx.tenant.id, params.id)),
  }),
  defineRoute({
    method: "PATCH",
    path: "/applications/{id}",
    operationId: "updateApplication",
    tag,
    scope: "update:applications",
    summary: "Update an application",
    description: "Setting `enabled` to false is the kill switch: the application gets no tokens and its live tokens stop working.",
    params: idParams,
    body: updateApplicationInput,
    response: applicationSchema,
    handle: async ({ params, body, ctx }) => presentApplication(await updateApplication(ctx.tenant.id, params.id, body, ctx.actor)),
  }),
  defineRoute({
    method: "DELETE",
    path: "/applications/{id}",
    operationId: "deleteApplication",
    tag,
    scope: "delete:applications",
    summary: "Delete an application with its secrets and grants",
    params: idParams,
    handle: async ({ params, ctx }) => deleteApplication(ctx.tenant.id, params.id, ctx.actor),
  }),
  defineRoute({
    method: "GET",
    path: "/applications/{id}/grants",
    operationId: "listApplicationGrants",
    tag,
    scope: "read:grants",
    summary: "List an application's grants",
    params: idParams,
    query: z.object(paginationShape).strict(),
    response: grantSchema,
    list: true,
    async handle({ params, query, ctx }) {
      await getApplication(ctx.tenant.id, params.id);
      const grants = await listGrants(ctx.tenant.id, { applicationId: params.id }, listPage(query));
      return presentPage(grants, (g) => presentGrant(g, ctx.tenant.issuer));
    },
  }),
];
