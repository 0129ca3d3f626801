"use server";
// Tenant settings: name, signing keys and members — the owner's business.
import { rotateKeys } from "@/lib/domain/keys";
import { type Role, addMember, changeMemberRole, removeMember } from "@/lib/domain/members";
import { renameTenant } from "@/lib/domain/tenants";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { plainIds, str, tenantAction } from "./run";

export async function renameTenantAction(slug: string, _prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const result = await tenantAction(slug, "owner", async (ctx) => {
    await renameTenant(ctx.tenant.id, str(form, "name"), ctx.actor);
    return null;
  }, "Tenant renamed");
  return keepValues(result, form, ["name"]);
}

export async function rotateKeysAction(slug: string): Promise<ActionResult<null>> {
  return tenantAction(slug, "owner", async (ctx) => {
    await rotateKeys(ctx.tenant.id, ctx.actor);
    return null;
  }, "Signing keys rotated: new tokens use the new keys, the old ones stay published until their tokens expire");
}

export async function addMemberAction(slug: string, _prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const result = await tenantAction(slug, "owner", async (ctx) => {
    const password = str(form, "password");
    await addMember(ctx.tenant.id, { email: str(form, "email"), role: str(form, "role") as Role, name: str(form, "name") || undefined, password: password || undefined }, ctx.actor);
    return null;
  }, "Member added");
  // Never send a password back to the browser.
  return keepValues(result, form, ["email", "role", "name"]);
}

export async function changeRoleAction(slug: string, userId: string, role: Role): Promise<ActionResult<null>> {
  return tenantAction(slug, "owner", async (ctx) => {
    plainIds(userId);
    await changeMemberRole(ctx.tenant.id, userId, role, ctx.actor);
    return null;
  }, "Role changed");
}

export async function removeMemberAction(slug: string, userId: string): Promise<ActionResult<null>> {
  return tenantAction(slug, "owner", async (ctx) => {
    plainIds(userId);
    await removeMember(ctx.tenant.id, userId, ctx.actor);
    return null;
  }, "Member removed");
}
