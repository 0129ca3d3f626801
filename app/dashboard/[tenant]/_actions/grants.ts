"use server";
// Grants, from either side: the application's APIServer tab or the API's
// Machine to Machine Applications tab. Both call the same domain functions.
import { getApi } from "@/lib/domain/apis";
import { deleteGrant, setGrant, updateGrant } from "@/lib/domain/grants";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { expiryField, quotaFields } from "./form-fields";
import { plainIds, tenantAction } from "./run";

/** The browser's argument, untyped until the domain's schema has parsed it. */
export async function setGrantAction(
  slug: string,
  input: { application_id: string; api_id: string; scopes: string[] },
): Promise<ActionResult<{ id: string; scopes: string[] }>> {
  return tenantAction(slug, "admin", async (ctx) => {
    const grant = await setGrant(ctx.tenant.id, input, ctx.actor);
    return { id: grant.id, scopes: grant.scopes };
  });
}

/**
 * The scopes an Authorize toggle offers, read when it is switched on: the
 * pages send scopes only for authorized rows (see scopesShown), and turning a
 * grant on and choosing its scopes is one step. Reads only: no refresh.
 */
export async function grantableScopesAction(slug: string, apiId: string): Promise<ActionResult<Array<{ name: string; description: string }>>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(apiId);
      const api = await getApi(ctx.tenant.id, apiId);
      return api.scopes.map((s) => ({ name: s.name, description: s.description }));
    },
    undefined,
    false,
  );
}

export async function deleteGrantAction(slug: string, grantId: string): Promise<ActionResult<null>> {
  return tenantAction(slug, "admin", async (ctx) => {
    plainIds(grantId);
    await deleteGrant(ctx.tenant.id, grantId, ctx.actor);
    return null;
  });
}

/** A grant's expiry (UTC) and quotas; its scopes stay as they are. */
export async function updateGrantLimitsAction(
  slug: string,
  grantId: string,
  _prev: ActionResult<unknown> | null,
  form: FormData,
): Promise<ActionResult<unknown>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(grantId);
      await updateGrant(ctx.tenant.id, grantId, { expires_at: expiryField(form), ...quotaFields(form) }, ctx.actor);
      return null;
    },
    "Expiry and quota saved",
  );
  return keepValues(result, form, ["expires_at", "quota_per_hour", "quota_per_day", "quota_mode"]);
}
