"use server";
// Grants, from either side: the application's APIServer tab or the API's
// Machine to Machine Applications tab. Both call the same domain functions.
import { deleteGrant, setGrant } from "@/lib/domain/grants";
import type { ActionResult } from "@/lib/http/action";
import { tenantAction } from "./run";

export type GrantInput = { applicationId: string; apiId: string; scopes: string[] };

export async function setGrantAction(slug: string, input: GrantInput): Promise<ActionResult<{ id: string; scopes: string[] }>> {
  return tenantAction(slug, "admin", async (ctx) => {
    const grant = await setGrant(ctx.tenant.id, { applicationId: input.applicationId, apiId: input.apiId, scopes: input.scopes }, ctx.actor);
    return { id: grant.id, scopes: grant.scopes };
  });
}

export async function deleteGrantAction(slug: string, grantId: string): Promise<ActionResult<null>> {
  return tenantAction(slug, "admin", async (ctx) => {
    await deleteGrant(ctx.tenant.id, grantId, ctx.actor);
    return null;
  });
}
