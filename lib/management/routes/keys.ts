// applications/{id}/keys: the public key sets an application signs client
// assertions with (private_key_jwt). Public by nature: listed in full.
import { z } from "zod";
import { createClientKey, listClientKeys, revokeClientKey } from "@/lib/domain/client-keys";
import { clientKeySchema, createClientKeyInput, presentClientKey } from "@/lib/domain/shapes/applications";
import { listPage, paginationShape, presentPage } from "../pagination";
import { idParam, idParams } from "../params";
import { defineRoute } from "../route";

const tag = "Client keys";

const listKeysQuery = z
  .object({ ...paginationShape, include_revoked: z.enum(["true", "false"]).default("false").describe("Also list revoked key sets") })
  .strict();

export const keyRoutes = [
  defineRoute({
    method: "GET",
    path: "/applications/{id}/keys",
    operationId: "listClientKeys",
    tag,
    scope: "read:applications",
    summary: "List an application's public key sets (private_key_jwt)",
    params: idParams,
    query: listKeysQuery,
    response: clientKeySchema,
    list: true,
    handle: async ({ params, query, ctx }) =>
      presentPage(await listClientKeys(ctx.tenant.id, params.id, query.include_revoked === "true", listPage(query)), presentClientKey),
  }),
  defineRoute({
    method: "POST",
    path: "/applications/{id}/keys",
    operationId: "createClientKey",
    tag,
    scope: "update:applications",
    summary: "Add a public key set (private_key_jwt)",
    description:
      "The application can then authenticate at the token endpoint with a JWT signed by the matching private key " +
      "(client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer). Private keys are refused: Grantry stores only public keys.",
    params: idParams,
    body: createClientKeyInput,
    response: clientKeySchema,
    status: 201,
    handle: async ({ params, body, ctx }) => presentClientKey(await createClientKey(ctx.tenant.id, params.id, body, ctx.actor)),
  }),
  defineRoute({
    method: "DELETE",
    path: "/applications/{id}/keys/{key_id}",
    operationId: "revokeClientKey",
    tag,
    scope: "update:applications",
    summary: "Revoke a public key set",
    description: "Assertions signed by its keys are refused from the next token request.",
    params: z.object({ id: idParam, key_id: idParam }).strict(),
    async handle({ params, ctx }) {
      await revokeClientKey(ctx.tenant.id, params.id, params.key_id, ctx.actor);
    },
  }),
];
