// APIs (resource servers) and their scopes, as the Management API shows them.
import { z } from "zod";
import type { getApi } from "@/lib/domain/apis";
import { MAX_TOKEN_LIFETIME, apiIdentifierSchema, apiNameSchema, scopeDescriptionSchema, scopeNameSchema, signingAlgSchema } from "@/lib/domain/schemas";
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

export function presentApi(api: Awaited<ReturnType<typeof getApi>>): z.input<typeof apiSchema> {
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

// JSON numbers only: the domain's schema coerces strings for HTML forms.
const tokenLifetimeInput = z
  .number()
  .int("Must be a whole number of seconds")
  .min(60, "At least 60 seconds")
  .max(MAX_TOKEN_LIFETIME, "At most 30 days (2592000 seconds)")
  .describe("Access-token lifetime in seconds (default 86400)");

export const scopeInput = z.object({ name: scopeNameSchema, description: scopeDescriptionSchema.optional() }).strict();

export const createApiBody = z
  .object({
    name: apiNameSchema,
    identifier: apiIdentifierSchema.describe("The audience: an absolute URL or a URN, unique in the tenant, immutable"),
    token_lifetime: tokenLifetimeInput.optional(),
    signing_alg: signingAlgSchema.optional().describe("Default RS256"),
    scopes: z.array(scopeInput).max(200).optional(),
  })
  .strict();

export const updateApiBody = z
  .object({ name: apiNameSchema.optional(), token_lifetime: tokenLifetimeInput.optional(), signing_alg: signingAlgSchema.optional() })
  .strict();
