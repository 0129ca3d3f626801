// config: the tenant as a file (grants as code): export it, plan a file, apply it.
import { z } from "zod";
import { env } from "@/lib/env";
import { applyTenantConfig, exportTenantConfig, exportTenantYaml, planTenantConfig } from "@/lib/domain/tenant-config";
import { configApplySchema, configPlanSchema, tenantConfigSchema } from "@/lib/domain/shapes/config";
import { defineRoute, TextBody } from "../route";

const tag = "Configuration";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

/** Whether Accept asks for YAML before JSON (absent or any: JSON). */
function wantsYaml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranked = accept
    .split(",")
    .map((part, index) => {
      const [type, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { type: type!.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const first = ranked.find((entry) => YAML_TYPES.includes(entry.type) || entry.type === "application/json" || entry.type === "*/*");
  return !!first && YAML_TYPES.includes(first.type);
}

const flag = z
  .enum(["true", "false"], { error: "true or false" })
  .optional()
  .transform((v) => v === "true");

const planQuery = z.object({ prune: flag.describe("true: objects the file does not list are deleted (default false: nothing is deleted)") }).strict();

const applyQuery = z
  .object({
    prune: flag.describe("true: objects the file does not list are deleted (default false: nothing is deleted)"),
    plan: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "A plan's digest")
      .optional()
      .describe("The digest of a plan: the apply is refused unless it makes exactly those changes"),
  })
  .strict();

const fileBody = {
  schema: tenantConfigSchema,
  maxBytes: () => env().GRANTRY_MAX_CONFIG_BYTES,
  description: "A tenant file (apiVersion grantry/v1, kind Tenant), as YAML or JSON; the JSON Schema is served at /schemas/tenant.v1.json",
};

export const configRoutes = [
  defineRoute({
    method: "GET",
    path: "/config",
    operationId: "exportConfig",
    tag,
    scope: "read:config",
    summary: "Export the tenant as a file",
    description:
      "The tenant's name, APIs with their scopes, applications (by key) and grants, as a tenant file: JSON, or YAML when `Accept` asks for `application/yaml`. Never secrets or signing keys.",
    response: tenantConfigSchema,
    produces: ["application/yaml"],
    async handle({ ctx }) {
      if (wantsYaml(ctx.header("accept"))) return new TextBody("application/yaml; charset=utf-8", await exportTenantYaml(ctx.tenant.id));
      return exportTenantConfig(ctx.tenant.id);
    },
  }),
  defineRoute({
    method: "POST",
    path: "/config/plan",
    operationId: "planConfig",
    tag,
    scope: "read:config",
    summary: "Plan a tenant file: what applying it would change",
    description:
      "Changes nothing. Each change names the object and, for an update, each field's value now and after. A file with problems is a 422 naming each by its path, line and column.",
    query: planQuery,
    textBody: fileBody,
    response: configPlanSchema,
    handle: async ({ query, text, ctx }) => planTenantConfig(ctx.tenant.id, text, { prune: query.prune }),
  }),
  defineRoute({
    method: "POST",
    path: "/config/apply",
    operationId: "applyConfig",
    tag,
    scope: "apply:config",
    summary: "Apply a tenant file, all or nothing",
    description:
      "Makes the plan's changes in one transaction, recorded as one `config.apply` event in the audit trail. Without `prune=true` nothing is deleted. Management API scopes are handed out only within the caller's own (403 `insufficient_scope`); renaming the tenant needs `update:tenant`. New applications' first secrets are in this response only.",
    query: applyQuery,
    textBody: fileBody,
    response: configApplySchema,
    handle: async ({ query, text, ctx }) => applyTenantConfig(ctx.tenant.id, text, ctx.actor, { prune: query.prune, expectedDigest: query.plan }),
  }),
];
