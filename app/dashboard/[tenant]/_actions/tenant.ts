"use server";
// Tenant settings: name, signing keys and members — the owner's business.
import { rotateKeys } from "@/lib/domain/keys";
import { createInvitation, revokeInvitation } from "@/lib/domain/invitations";
import { type Role, changeMemberRole, removeMember } from "@/lib/domain/members";
import { createMemberResetLink } from "@/lib/domain/passwords";
import { updateTenant } from "@/lib/domain/tenants";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { plainIds, str, tenantAction } from "./run";

export async function renameTenantAction(slug: string, _prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const result = await tenantAction(
    slug,
    "owner",
    async (ctx) => {
      await updateTenant(ctx.tenant.id, { name: str(form, "name") }, ctx.actor);
      return null;
    },
    "Tenant renamed",
  );
  return keepValues(result, form, ["name"]);
}

export async function rotateKeysAction(slug: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "owner",
    async (ctx) => {
      await rotateKeys(ctx.tenant.id, ctx.actor);
      return null;
    },
    "Signing keys rotated: new tokens use the new keys, the old ones stay published until their tokens expire",
  );
}

/** Owners invite any role, admins up to admin (the delegation ceiling); the link is shown once. */
export async function inviteMemberAction(slug: string, _prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      const created = await createInvitation(ctx.tenant.id, { email: str(form, "email"), role: str(form, "role") as Role }, ctx.actor);
      return { url: created.url };
    },
    "Invitation created: copy the link now, it is shown once",
  );
  return keepValues(result, form, ["email", "role"]);
}

export async function revokeInvitationAction(slug: string, id: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(id);
      await revokeInvitation(ctx.tenant.id, id, ctx.actor);
      return null;
    },
    "Invitation revoked",
  );
}

export async function changeRoleAction(slug: string, userId: string, role: Role): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "owner",
    async (ctx) => {
      plainIds(userId);
      await changeMemberRole(ctx.tenant.id, userId, { role }, ctx.actor);
      return null;
    },
    "Role changed",
  );
}

export async function removeMemberAction(slug: string, userId: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "owner",
    async (ctx) => {
      plainIds(userId);
      await removeMember(ctx.tenant.id, userId, ctx.actor);
      return null;
    },
    "Member removed",
  );
}

export async function createResetLinkAction(slug: string, userId: string): Promise<ActionResult<{ url: string; expiresAt: Date }>> {
  return tenantAction(
    slug,
    "owner",
    async (ctx) => {
      plainIds(userId);
      return createMemberResetLink(ctx.tenant.id, userId, ctx.actor);
    },
    "Reset link created — copy it now",
    false,
  );
}
