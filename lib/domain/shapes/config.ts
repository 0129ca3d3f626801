// A tenant as a file (grants as code, docs/grants-as-code.md): one document
// of its name, APIs with their scopes, applications and grants, which
// `export` writes and `plan`/`apply` read. Each entry is the operations'
// own input schema (createApiInput; updateApplicationInput with create's
// required name and key; updateGrantInput with createGrantInput's scopes and
// audience), plus the keys that match entries to objects, so a field's rules
// are the same here as in the Management API. Secrets, the
// signing keys and the Grantry Management API itself are never in the file;
// grants to the Management API are, by MANAGEMENT_API_PLACEHOLDER. A field
// left out of an entry is not managed: apply leaves it as it is (a new
// object gets its default), as the update operations do.
//
// An application's public keys (private_key_jwt) are its entry's
// `public_keys`, each createClientKeyInput. Fields that later features add
// (per-API DPoP settings, federated credentials) join their entry the same
// way, as optional fields of the operations' inputs; `apiVersion` stays
// grantry/v1 while old files keep meaning what they meant.
import { z } from "zod";
import { MANAGEMENT_API_PLACEHOLDER } from "../management-api";
import { statedExpirySchema } from "../schemas";
import { addScopeInput, createApiInput } from "./apis";
import { clientKeyFields, createApplicationInput, oneKeySource, updateApplicationInput } from "./applications";
import { component } from "./common";
import { createGrantInput, updateGrantInput } from "./grants";
import { updateTenantInput } from "./tenant";

export const CONFIG_API_VERSION = "grantry/v1";
export const CONFIG_KIND = "Tenant";
/** Where the JSON Schema of the format is served, below GRANTRY_URL (and kept in the repository at schemas/). */
export const CONFIG_SCHEMA_PATH = "/schemas/tenant.v1.json";

export const configApiEntry = createApiInput
  .extend({
    // A file states every scope the API has: the per-request bound of createApiInput does not apply, the tenant's cap does.
    scopes: z.array(addScopeInput).max(10_000).optional().describe("The API's scopes; with prune, scopes not listed are deleted"),
  })
  .describe("An API, matched by its identifier");

export const configClientKeyEntry = clientKeyFields
  .strict()
  .extend({
    // A file states an expiry that has passed as it is; only a change is held to "in the future" (lib/domain/config/plan.ts).
    expires_at: statedExpirySchema.optional().describe("When the keys stop being accepted; null: never. A change must be in the future"),
  })
  .superRefine(oneKeySource)
  .describe("A public key set the application signs client assertions with, matched by its keys (never a private key)");

export const configApplicationEntry = updateApplicationInput
  .extend({
    // Required in a file, with the rules the create operation holds them to.
    key: createApplicationInput.shape.key.unwrap().describe("The application's stable handle in this tenant: grants name it, apply keeps it"),
    name: createApplicationInput.shape.name,
    client_id: z
      .string()
      .max(200)
      .optional()
      .describe("Optional: pins the entry to the application of this tenant with this client id (which then takes the key), never another's"),
    public_keys: z
      .array(configClientKeyEntry)
      .max(100)
      .optional()
      .describe("The application's public key sets (private_key_jwt); with prune, live sets not listed are revoked"),
  })
  .describe("An M2M application, matched by its key (never its secrets)");

export const configGrantEntry = updateGrantInput
  .extend({
    application: configApplicationEntry.shape.key.describe("The key of an application of this file"),
    api: createGrantInput.shape.audience
      .unwrap()
      .trim()
      .min(1, "Required")
      .describe(`The identifier of an API of this file, or ${MANAGEMENT_API_PLACEHOLDER} (or this tenant's issuer URL) for the Grantry Management API`),
    scopes: createGrantInput.shape.scopes.describe("Exactly the scopes granted; each must be a scope of the API"),
    // A file states an expiry that has passed as it is; only a change is held to "in the future" (lib/domain/config/plan.ts).
    expires_at: statedExpirySchema.optional().describe("When the grant ends; null: never. A change must be in the future"),
  })
  .describe("An application's access to an API, matched by application and API");

export const tenantConfigSchema = component(
  z
    .object({
      apiVersion: z.literal(CONFIG_API_VERSION),
      kind: z.literal(CONFIG_KIND),
      tenant: updateTenantInput.optional().describe("The tenant's settings"),
      apis: z.array(configApiEntry).optional().describe("APIs (resource servers); the Grantry Management API is built in and not listed"),
      applications: z.array(configApplicationEntry).optional(),
      grants: z.array(configGrantEntry).optional(),
    })
    .strict(),
  "TenantConfig",
  "A tenant as a file: grants as code (docs/grants-as-code.md)",
);

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type TenantConfigInput = z.input<typeof tenantConfigSchema>;

/** The JSON Schema editors validate and complete tenant files with; schemas/tenant.v1.json holds the same document. */
export function tenantConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(tenantConfigSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: "Grantry tenant file (grantry/v1)",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}

const kinds = z.enum(["tenant", "api", "scope", "application", "key", "grant"]);

export const configChangeSchema = z.object({
  action: z.enum(["create", "update", "delete"]),
  kind: kinds,
  key: z
    .string()
    .describe(
      "The object: an API's identifier, `identifier scope`, an application's key, `application key-set-name`, `application → api`, or the tenant's slug",
    ),
  fields: z
    .record(z.string(), z.object({ from: z.unknown().optional(), to: z.unknown().optional() }))
    .describe("Each field that changes: `from` the value now (absent on create), `to` the new one (absent on delete)"),
});

export const configPlanSchema = component(
  z.object({
    changes: z.array(configChangeSchema),
    summary: z.object({ create: z.number().int(), update: z.number().int(), delete: z.number().int() }),
    unlisted: z
      .array(z.object({ kind: kinds, key: z.string() }))
      .describe("Objects of the tenant the file does not list: kept, as prune was not asked (empty with prune: they are deleted)"),
    digest: z.string().describe("Names this exact list of changes; apply with `plan=<digest>` refuses to do anything else"),
  }),
  "ConfigPlan",
  "What applying a tenant file changes",
);

export const configApplySchema = component(
  configPlanSchema.extend({
    secrets: z
      .array(z.object({ key: z.string(), client_id: z.string(), client_secret: z.string() }))
      .describe("The first secret of each application the file created: shown in this response only"),
  }),
  "ConfigApplied",
  "The changes a tenant file made, with new applications' secrets (returned once)",
);

export type ConfigChange = z.infer<typeof configChangeSchema>;
export type ConfigPlan = z.infer<typeof configPlanSchema>;
export type ConfigApplied = z.infer<typeof configApplySchema>;
