// Who is asking, in dashboard pages and server actions. A non-member gets a
// 404 for a tenant's pages, so tenant slugs and ids cannot be probed.
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "@/lib/auth";
import { ForbiddenError } from "@/lib/domain/errors";
import { findUser, type Role, roleAllows } from "@/lib/domain/members";
import type { Actor } from "@/lib/domain/audit";
import { roleCeiling } from "@/lib/domain/ceiling";
import { listTenantsForUser } from "@/lib/domain/tenants";
import { hasTwoFactor } from "@/lib/domain/mfa-totp";
import { mustEnrol } from "@/lib/domain/mfa-policy";

// Read through React's cache(): a dashboard page, its layouts and their
// components ask for the same member several times per request; one read serves them.
const signedInUserId = cache(async function signedInUserId() {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) redirect("/login");
  return id;
});

export const requireUser = cache(async function requireUser() {
  const user = await findUser(await signedInUserId());
  if (!user) redirect("/login");
  return { id: user.id, email: user.email, name: user.name };
});

/**
 * The signed-in user and every tenant they belong to, with their role there,
 * read side by side once per request: the tenant layout lists them for the
 * switcher and requireTenantMember picks one, so a page waits for one round
 * trip after the session instead of three in a row (user, membership, tenants).
 */
export const requireMemberships = cache(async function requireMemberships() {
  const userId = await signedInUserId();
  const [user, tenants] = await Promise.all([requireUser(), listTenantsForUser(userId)]);
  return { user, tenants };
});

export type TenantContext = Awaited<ReturnType<typeof requireTenantMember>>;

/** The signed-in member of tenant `slug` with at least role `needed`. */
export async function requireTenantMember(slug: string, needed: Role = "viewer") {
  // Server actions receive the slug from the browser: only a plain string names a tenant.
  if (typeof slug !== "string") notFound();
  const { user, tenants } = await requireMemberships();
  const membership = tenants.find((t) => t.slug === slug);
  if (!membership) notFound();
  const { role, ...tenant } = membership;
  // A tenant that requires two-factor sign-in sends an un-enrolled member to enrol first (pages and actions alike).
  if (tenant.requireTwoFactor && mustEnrol(tenant, await hasTwoFactor(user.id))) redirect(`/account/security?required=${encodeURIComponent(slug)}`);
  if (!roleAllows(role, needed)) throw new ForbiddenError(`This needs the ${needed} role`);
  const actor: Actor = { type: "member", id: user.id, label: user.email, ceiling: roleCeiling(role) };
  return { user, tenant, role, actor };
}
