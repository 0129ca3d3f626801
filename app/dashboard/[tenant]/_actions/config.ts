"use server";
// Grants as code in the dashboard: export the tenant as a file, plan a file
// (any member: it shows what they can already read), apply it (admins; the
// domain holds them to their ceiling, so renaming the tenant needs an owner).
import { applyTenantConfig, exportTenantYaml, planTenantConfig } from "@/lib/domain/tenant-config";
import { ValidationError } from "@/lib/domain/errors";
import type { ConfigApplied, ConfigPlan } from "@/lib/domain/shapes/config";
import type { ActionResult } from "@/lib/http/action";
import { tenantAction } from "./run";

/** Browser input is untyped: a file is a string, prune a boolean, a digest hex. */
function checked(source: unknown, prune: unknown, digest?: unknown): { source: string; prune: boolean; digest?: string } {
  if (typeof source !== "string") throw new ValidationError({ file: "Paste or upload a tenant file" });
  if (!source.trim()) throw new ValidationError({ file: "Paste or upload a tenant file" });
  if (digest !== undefined && (typeof digest !== "string" || !/^[0-9a-f]{64}$/.test(digest))) throw new ValidationError({ plan: "Plan the file first" });
  return { source, prune: prune === true, digest };
}

export async function exportConfigAction(slug: string): Promise<ActionResult<{ yaml: string }>> {
  return tenantAction(slug, "viewer", async (ctx) => ({ yaml: await exportTenantYaml(ctx.tenant.id) }), undefined, false);
}

export async function planConfigAction(slug: string, source: unknown, prune: unknown): Promise<ActionResult<ConfigPlan>> {
  return tenantAction(
    slug,
    "viewer",
    async (ctx) => {
      const input = checked(source, prune);
      return planTenantConfig(ctx.tenant.id, input.source, { prune: input.prune });
    },
    undefined,
    false,
  );
}

/** Applies exactly the plan the admin reviewed (its digest): if the tenant moved since, nothing is done. */
export async function applyConfigAction(slug: string, source: unknown, prune: unknown, digest: unknown): Promise<ActionResult<ConfigApplied>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      const input = checked(source, prune, digest);
      return applyTenantConfig(ctx.tenant.id, input.source, ctx.actor, { prune: input.prune, expectedDigest: input.digest });
    },
    "The file was applied",
  );
}
