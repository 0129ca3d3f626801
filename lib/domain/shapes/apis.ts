// APIs (resource servers) and their scopes: the operations' inputs, the JSON, the presenter.
import { z } from "zod";
import { apiIdentifierSchema, apiNameSchema, scopeDescriptionSchema, scopeNameSchema, signingAlgSchema, tokenLifetimeSchema } from "../schemas";
import { component, iso, timestamp } from "./common";

export const scopeSchema = component(z.object({ id: z.string(), name: z.string(), description: z.string() }), "Scope", "A permission an API defines");

export const apiSchema = component(
  z.object({
    id: z.string(),
    name: z.string(),
    identifier: z.string().describe("The audience of token requests; for the Grantry Management API, the tenant's issuer URL"),
    kind: z.enum(["custom", "management"]).describe("management: the built-in Grantry Management API (cannot be deleted)"),
    token_lifetime: z.number().int().describe("Access-token lifetime in seconds"),
    signing_alg: signingAlgSchema,
    dpop_required: z.boolean().describe("true: tokens for this API are issued only bound to a DPoP key (RFC 9449), never as bearer tokens"),
    scopes: z.array(scopeSchema),
    created_at: timestamp,
    updated_at: timestamp,
  }),
  "Api",
  "An API (resource server)",
);

type ApiRow = {
  id: string;
  name: string;
  identifier: string;
  kind: "custom" | "management";
  tokenLifetime: number;
  signingAlg: z.infer<typeof signingAlgSchema>;
  dpopRequired: boolean;
  scopes: Array<{ id: string; name: string; description: string }>;
  createdAt: Date;
  updatedAt: Date;
};

/** `api` as the domain returns it, with the Management API's identifier already the issuer. */
export function presentApi(api: ApiRow): z.input<typeof apiSchema> {
  return {
    id: api.id,
    name: api.name,
    identifier: api.identifier,
    kind: api.kind,
    token_lifetime: api.tokenLifetime,
    signing_alg: api.signingAlg,
    dpop_required: api.dpopRequired,
    scopes: api.scopes.map((s) => ({ id: s.id, name: s.name, description: s.description })),
    created_at: iso(api.createdAt),
    updated_at: iso(api.updatedAt),
  };
}

const dpopRequiredInput = z.boolean().describe("true: issue tokens for this API only with a DPoP proof (RFC 9449), bound to the client's key (default false)");
const tokenLifetimeInput = tokenLifetimeSchema.describe("Access-token lifetime in seconds (default 86400)");

export const addScopeInput = z.object({ name: scopeNameSchema, description: scopeDescriptionSchema.optional() }).strict();

export const createApiInput = z
  .object({
    name: apiNameSchema,
    identifier: apiIdentifierSchema.describe("The audience: an absolute URL or a URN, unique in the tenant, immutable"),
    token_lifetime: tokenLifetimeInput.optional(),
    signing_alg: signingAlgSchema.optional().describe("Default RS256"),
    dpop_required: dpopRequiredInput.optional(),
    scopes: z.array(addScopeInput).max(200).optional(),
  })
  .strict();

export const updateApiInput = z
  .object({
    name: apiNameSchema.optional(),
    token_lifetime: tokenLifetimeInput.optional(),
    signing_alg: signingAlgSchema.optional(),
    dpop_required: dpopRequiredInput.optional(),
  })
  .strict();
