"use server";
// The tenant's "require two-factor sign-in" setting: owners only.
import { setRequireTwoFactor } from "@/lib/domain/mfa-policy";
import type { ActionResult } from "@/lib/http/action";
import { tenantAction } from "./run";

export async function setRequireTwoFactorAction(slug: string, required: boolean): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "owner",
    async (ctx) => {
      await setRequireTwoFactor(ctx.tenant.id, required, ctx.actor);
      return null;
    },
    required ? "Members now need two-factor sign-in" : "Two-factor sign-in is no longer required",
  );
}
