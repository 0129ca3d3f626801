// The Management API's route table: dispatch, the OpenAPI document and the
// tests all read this one list.
import { z } from "zod";
import { buildOpenApiDocument } from "../openapi";
import { defineRoute, type Route } from "../route";
import { apiRoutes } from "./apis";
import { applicationRoutes } from "./applications";
import { configRoutes } from "./config";
import { federatedCredentialRoutes } from "./federated-credentials";
import { grantRoutes } from "./grants";
import { keyRoutes } from "./keys";
import { secretRoutes } from "./secrets";
import { settingsRoutes } from "./settings";
import { tenantRoutes } from "./tenant";
import { tokenLogRoutes } from "./token-log";

const openApiRoute = defineRoute({
  method: "GET",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tag: "Documentation",
  scope: null,
  summary: "This document (public, no token needed)",
  response: z.record(z.string(), z.unknown()),
  handle: async ({ ctx }) => buildOpenApiDocument(routes, ctx.tenant.issuer),
});

export const routes: readonly Route[] = [
  openApiRoute,
  ...applicationRoutes,
  ...secretRoutes,
  ...keyRoutes,
  ...federatedCredentialRoutes,
  ...apiRoutes,
  ...grantRoutes,
  ...tenantRoutes,
  ...tokenLogRoutes,
  ...settingsRoutes,
  ...configRoutes,
];
