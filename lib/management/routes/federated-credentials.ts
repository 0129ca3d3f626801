// applications/{id}/federated-credentials: external issuers whose JWTs
// authenticate the application (workload identity federation). Nothing secret:
// listed in full.
import { z } from "zod";
import {
  createFederatedCredential,
  deleteFederatedCredential,
  getFederatedCredential,
  listFederatedCredentials,
  updateFederatedCredential,
} from "@/lib/domain/federated-credentials";
import {
  createFederatedCredentialInput,
  federatedCredentialSchema,
  presentFederatedCredential,
  updateFederatedCredentialInput,
} from "@/lib/domain/shapes/federated-credentials";
import { listPage, paginationShape, presentPage } from "../pagination";
import { idParam, idParams } from "../params";
import { defineRoute } from "../route";

const tag = "Federated credentials";
const credentialParams = z.object({ id: idParam, credential_id: idParam }).strict();
const path = "/applications/{id}/federated-credentials";

export const federatedCredentialRoutes = [
  defineRoute({
    method: "GET",
    path,
    operationId: "listFederatedCredentials",
    tag,
    scope: "read:applications",
    summary: "List an application's federated credentials (trusted external issuers)",
    params: idParams,
    query: z.object(paginationShape).strict(),
    response: federatedCredentialSchema,
    list: true,
    handle: async ({ params, query, ctx }) =>
      presentPage(await listFederatedCredentials(ctx.tenant.id, params.id, listPage(query)), presentFederatedCredential),
  }),
  defineRoute({
    method: "POST",
    path,
    operationId: "createFederatedCredential",
    tag,
    scope: "update:applications",
    summary: "Trust an external issuer's workload tokens (workload identity federation)",
    description:
      "A workload then sends the JWT its platform gave it (GitHub Actions, GitLab CI, a Kubernetes service account, a SPIFFE JWT-SVID) " +
      "as client_assertion (client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer) with this application's client_id. " +
      "Its iss must equal `issuer`, its sub match `subject` (`*` matches any run of characters), its aud include `audience`, and each condition hold.",
    params: idParams,
    body: createFederatedCredentialInput,
    response: federatedCredentialSchema,
    status: 201,
    handle: async ({ params, body, ctx }) => presentFederatedCredential(await createFederatedCredential(ctx.tenant.id, params.id, body, ctx.actor)),
  }),
  defineRoute({
    method: "GET",
    path: `${path}/{credential_id}`,
    operationId: "getFederatedCredential",
    tag,
    scope: "read:applications",
    summary: "Get a federated credential",
    params: credentialParams,
    response: federatedCredentialSchema,
    handle: async ({ params, ctx }) => presentFederatedCredential(await getFederatedCredential(ctx.tenant.id, params.id, params.credential_id)),
  }),
  defineRoute({
    method: "PATCH",
    path: `${path}/{credential_id}`,
    operationId: "updateFederatedCredential",
    tag,
    scope: "update:applications",
    summary: "Change what a federated credential trusts",
    description: "Takes effect from the next token request.",
    params: credentialParams,
    body: updateFederatedCredentialInput,
    response: federatedCredentialSchema,
    handle: async ({ params, body, ctx }) =>
      presentFederatedCredential(await updateFederatedCredential(ctx.tenant.id, params.id, params.credential_id, body, ctx.actor)),
  }),
  defineRoute({
    method: "DELETE",
    path: `${path}/{credential_id}`,
    operationId: "deleteFederatedCredential",
    tag,
    scope: "update:applications",
    summary: "Stop trusting an external issuer's tokens",
    description: "Its tokens are refused from the next token request.",
    params: credentialParams,
    handle: async ({ params, ctx }) => deleteFederatedCredential(ctx.tenant.id, params.id, params.credential_id, ctx.actor),
  }),
];
