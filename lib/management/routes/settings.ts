// tenant (read, rename), users (change role, remove, reset link) and invitations: the owner's
// dashboard settings, through the same domain functions and the same rules.
import { createInvitation, listInvitations, revokeInvitation } from "@/lib/domain/invitations";
import { changeMemberRole, removeMember } from "@/lib/domain/members";
import { createMemberResetLink } from "@/lib/domain/passwords";
import {
  createInvitationInput,
  createdInvitationSchema,
  invitationSchema,
  presentInvitation,
  presentUser,
  resetLinkSchema,
  updateMemberInput,
  userSchema,
} from "@/lib/domain/shapes/members";
import { presentTenant, tenantSchema, updateTenantInput } from "@/lib/domain/shapes/tenant";
import { getTenant, updateTenant } from "@/lib/domain/tenants";
import { listPage, paginationQuery, presentPage } from "../pagination";
import { idParams } from "../params";
import { defineRoute } from "../route";

const LAST_OWNER = "The last owner cannot be removed or demoted (409 conflict).";

export const settingsRoutes = [
  defineRoute({
    method: "GET",
    path: "/tenant",
    operationId: "getTenant",
    tag: "Tenant",
    scope: "read:tenant",
    summary: "Get the tenant",
    response: tenantSchema,
    handle: async ({ ctx }) => presentTenant(await getTenant(ctx.tenant.id), ctx.tenant.issuer),
  }),
  defineRoute({
    method: "PATCH",
    path: "/tenant",
    operationId: "updateTenant",
    tag: "Tenant",
    scope: "update:tenant",
    summary: "Rename the tenant",
    body: updateTenantInput,
    response: tenantSchema,
    handle: async ({ body, ctx }) => presentTenant(await updateTenant(ctx.tenant.id, body, ctx.actor), ctx.tenant.issuer),
  }),
  defineRoute({
    method: "POST",
    path: "/invitations",
    operationId: "createInvitation",
    tag: "Users",
    scope: "create:users",
    summary: "Invite someone to the tenant",
    description:
      "Returns a one-time link (valid 7 days) for the invitee, who sets their own password or signs in to accept. The answer is the same whether or not the email has an account. The role must lie within the token's own scopes (403 insufficient_scope).",
    body: createInvitationInput,
    response: createdInvitationSchema,
    status: 201,
    async handle({ body, ctx }) {
      const created = await createInvitation(ctx.tenant.id, body, ctx.actor);
      return { ...presentInvitation(created), url: created.url };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/invitations",
    operationId: "listInvitations",
    tag: "Users",
    scope: "read:users",
    summary: "List pending invitations",
    query: paginationQuery,
    response: invitationSchema,
    list: true,
    handle: async ({ query, ctx }) => presentPage(await listInvitations(ctx.tenant.id, listPage(query)), presentInvitation),
  }),
  defineRoute({
    method: "DELETE",
    path: "/invitations/{id}",
    operationId: "revokeInvitation",
    tag: "Users",
    scope: "delete:users",
    summary: "Revoke a pending invitation",
    params: idParams,
    handle: async ({ params, ctx }) => revokeInvitation(ctx.tenant.id, params.id, ctx.actor),
  }),
  defineRoute({
    method: "POST",
    path: "/users/{id}/reset-link",
    operationId: "createResetLink",
    tag: "Users",
    scope: "update:users",
    summary: "Create a one-time password reset link for a member",
    description: "Valid one hour; returned only here. Using it ends the member's sessions.",
    params: idParams,
    response: resetLinkSchema,
    status: 201,
    async handle({ params, ctx }) {
      const link = await createMemberResetLink(ctx.tenant.id, params.id, ctx.actor);
      return { url: link.url, expires_at: link.expiresAt.toISOString() };
    },
  }),
  defineRoute({
    method: "PATCH",
    path: "/users/{id}",
    operationId: "updateUser",
    tag: "Users",
    scope: "update:users",
    summary: "Change a member's role",
    description: LAST_OWNER,
    params: idParams,
    body: updateMemberInput,
    response: userSchema,
    handle: async ({ params, body, ctx }) => presentUser(await changeMemberRole(ctx.tenant.id, params.id, body, ctx.actor)),
  }),
  defineRoute({
    method: "DELETE",
    path: "/users/{id}",
    operationId: "deleteUser",
    tag: "Users",
    scope: "delete:users",
    summary: "Remove a member from the tenant",
    description: `The user keeps their account and their other tenants. ${LAST_OWNER}`,
    params: idParams,
    handle: async ({ params, ctx }) => removeMember(ctx.tenant.id, params.id, ctx.actor),
  }),
];
