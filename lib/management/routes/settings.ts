// tenant (read, rename) and users (add, change role, remove): the owner's
// dashboard settings, through the same domain functions and the same rules.
import { addMember, changeMemberRole, removeMember } from "@/lib/domain/members";
import { getTenant, renameTenant } from "@/lib/domain/tenants";
import { defineRoute } from "../route";
import { idParams } from "../schemas/common";
import { createUserBody, presentTenant, tenantSchema, updateTenantBody, updateUserBody } from "../schemas/settings";
import { presentUser, userSchema } from "../schemas/tenant";

const LAST_OWNER = "The last owner cannot be removed or demoted (409 conflict).";

export const settingsRoutes = [
  defineRoute({
    method: "GET", path: "/tenant", operationId: "getTenant", tag: "Tenant", scope: "read:tenant",
    summary: "Get the tenant",
    response: tenantSchema,
    handle: async ({ ctx }) => presentTenant(await getTenant(ctx.tenant.id), ctx.tenant.issuer),
  }),
  defineRoute({
    method: "PATCH", path: "/tenant", operationId: "updateTenant", tag: "Tenant", scope: "update:tenant",
    summary: "Rename the tenant",
    body: updateTenantBody, response: tenantSchema,
    async handle({ body, ctx }) {
      const tenant = body.name === undefined ? await getTenant(ctx.tenant.id) : await renameTenant(ctx.tenant.id, body.name, ctx.actor);
      return presentTenant(tenant, ctx.tenant.issuer);
    },
  }),
  defineRoute({
    method: "POST", path: "/users", operationId: "createUser", tag: "Users", scope: "create:users",
    summary: "Add a member to the tenant",
    description: "Creates the user when the email is new (then `password` is required) or adds the existing user. The password is never returned.",
    body: createUserBody, response: userSchema, status: 201,
    handle: async ({ body, ctx }) => presentUser(await addMember(ctx.tenant.id, body, ctx.actor)),
  }),
  defineRoute({
    method: "PATCH", path: "/users/{id}", operationId: "updateUser", tag: "Users", scope: "update:users",
    summary: "Change a member's role",
    description: LAST_OWNER,
    params: idParams, body: updateUserBody, response: userSchema,
    handle: async ({ params, body, ctx }) => presentUser(await changeMemberRole(ctx.tenant.id, params.id, body.role, ctx.actor)),
  }),
  defineRoute({
    method: "DELETE", path: "/users/{id}", operationId: "deleteUser", tag: "Users", scope: "delete:users",
    summary: "Remove a member from the tenant",
    description: `The user keeps their account and their other tenants. ${LAST_OWNER}`,
    params: idParams,
    handle: async ({ params, ctx }) => removeMember(ctx.tenant.id, params.id, ctx.actor),
  }),
];
