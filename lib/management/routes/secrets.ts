// applications/{id}/secrets: list (never the values), create (value returned once), revoke.
import { z } from "zod";
import { createSecret, listSecrets, revokeSecret } from "@/lib/domain/secrets";
import { createSecretInput, newSecretSchema, presentSecret, secretSchema } from "@/lib/domain/shapes/applications";
import { listPage, paginationShape, presentPage } from "../pagination";
import { idParam, idParams } from "../params";
import { defineRoute } from "../route";

const tag = "Client secrets";

const listSecretsQuery = z
  .object({ ...paginationShape, include_revoked: z.enum(["true", "false"]).default("false").describe("Also list revoked secrets") })
  .strict();

export const secretRoutes = [
  defineRoute({
    method: "GET",
    path: "/applications/{id}/secrets",
    operationId: "listSecrets",
    tag,
    scope: "read:applications",
    summary: "List an application's client secrets (without their values)",
    params: idParams,
    query: listSecretsQuery,
    response: secretSchema,
    list: true,
    handle: async ({ params, query, ctx }) =>
      presentPage(await listSecrets(ctx.tenant.id, params.id, query.include_revoked === "true", listPage(query)), presentSecret),
  }),
  defineRoute({
    method: "POST",
    path: "/applications/{id}/secrets",
    operationId: "createSecret",
    tag,
    scope: "update:applications",
    summary: "Add a client secret",
    description: "The value is in this response only. Old secrets keep working until revoked, so secrets rotate with no downtime.",
    params: idParams,
    body: createSecretInput,
    response: newSecretSchema,
    status: 201,
    async handle({ params, body, ctx }) {
      const secret = await createSecret(ctx.tenant.id, params.id, body, ctx.actor);
      return { ...presentSecret(secret), client_secret: secret.value };
    },
  }),
  defineRoute({
    method: "DELETE",
    path: "/applications/{id}/secrets/{secret_id}",
    operationId: "revokeSecret",
    tag,
    scope: "update:applications",
    summary: "Revoke a client secret",
    description: "Takes effect on the next token request.",
    params: z.object({ id: idParam, secret_id: idParam }).strict(),
    async handle({ params, ctx }) {
      await revokeSecret(ctx.tenant.id, params.id, params.secret_id, ctx.actor);
    },
  }),
];
