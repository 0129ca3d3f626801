"use server";
// APIs and their scopes, from the dashboard.
import { addScope, createApi, deleteApi, removeScope, updateApi } from "@/lib/domain/apis";
import type { SigningAlgorithm } from "@/lib/domain/schemas";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { countField, listRows } from "./form-fields";
import { plainIds, str, tenantAction } from "./run";

/** The API with its scopes (rows `scopes.{i}.name` and `.description`; blank rows are skipped). */
export async function createApiAction(slug: string, _prev: ActionResult<{ id: string }> | null, form: FormData): Promise<ActionResult<{ id: string }>> {
  const scopes = listRows(form, "scopes", ["name", "description"] as const);
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      const api = await createApi(
        ctx.tenant.id,
        {
          name: str(form, "name"),
          identifier: str(form, "identifier"),
          token_lifetime: countField(form, "token_lifetime") ?? undefined,
          signing_alg: str(form, "signing_alg") as SigningAlgorithm,
          scopes: scopes.rows.map((row) => ({ name: row.name, ...(row.description ? { description: row.description } : {}) })),
        },
        ctx.actor,
      ).catch((error: unknown) => {
        throw scopes.renumber(error);
      });
      return { id: api.id };
    },
    scopes.rows.length ? `API created with ${scopes.rows.length} scope${scopes.rows.length === 1 ? "" : "s"}` : "API created",
  );
  return keepValues(result, form, ["name", "identifier", "token_lifetime", "signing_alg"]);
}

export async function updateApiAction(
  slug: string,
  apiId: string,
  _prev: ActionResult<{ id: string }> | null,
  form: FormData,
): Promise<ActionResult<{ id: string }>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(apiId);
      const name = form.has("name") ? str(form, "name") : undefined;
      await updateApi(
        ctx.tenant.id,
        apiId,
        { name, token_lifetime: countField(form, "token_lifetime") ?? Number.NaN, signing_alg: str(form, "signing_alg") as SigningAlgorithm },
        ctx.actor,
      );
      return { id: apiId };
    },
    "API saved",
  );
  return keepValues(result, form, ["name", "token_lifetime", "signing_alg"]);
}

/** Whether the API's tokens are issued only bound to a DPoP key (its settings page's switch). */
export async function setApiDpopRequiredAction(slug: string, apiId: string, on: boolean): Promise<ActionResult<{ dpopRequired: boolean }>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(apiId);
      const api = await updateApi(ctx.tenant.id, apiId, { dpop_required: on === true }, ctx.actor);
      return { dpopRequired: api.dpopRequired };
    },
    on === true ? "Tokens for this API are now issued only with a DPoP proof" : "Bearer tokens are issued for this API again",
  );
}

export async function deleteApiAction(slug: string, apiId: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(apiId);
      await deleteApi(ctx.tenant.id, apiId, ctx.actor);
      return null;
    },
    "API deleted",
    false,
  );
}

export async function addScopeAction(slug: string, apiId: string, _prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(apiId);
      return addScope(ctx.tenant.id, apiId, { name: str(form, "name"), description: str(form, "description") }, ctx.actor);
    },
    "Scope added",
  );
  return keepValues(result, form, ["name", "description"]);
}

export async function removeScopeAction(slug: string, apiId: string, scopeId: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(apiId, scopeId);
      await removeScope(ctx.tenant.id, apiId, scopeId, ctx.actor);
      return null;
    },
    "Scope deleted",
  );
}
