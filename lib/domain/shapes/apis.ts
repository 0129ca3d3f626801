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
    scopes: api.scopes.map((s) => ({ id: s.id, name: s.name, description: s.description })),
    created_at: iso(api.createdAt),
    updated_at: iso(api.updatedAt),
  };
}

const tokenLifetimeInput = tokenLifetimeSchema.describe("Access-token lifetime in seconds (default 86400)");

export const addScopeInput = z.object({ name: scopeNameSchema, description: scopeDescriptionSchema.optional() }).strict();

export const createApiInput = z
  .object({
    name: apiNameSchema,
    identifier: apiIdentifierSchema.describe("The audience: an absolute URL or a URN, unique in the tenant, immutable"),
    token_lifetime: tokenLifetimeInput.optional(),
    signing_alg: signingAlgSchema.optional().describe("Default RS256"),
    scopes: z.array(addScopeInput).max(200).optional(),
  })
  .strict();

export const updateApiInput = z
  .object({ name: apiNameSchema.optional(), token_lifetime: tokenLifetimeInput.optional(), signing_alg: signingAlgSchema.optional() })
  .strict();
