// Who is asking, in dashboard pages and server actions. A non-member gets a
// 404 for a tenant's pages, so tenant slugs and ids cannot be probed.
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { authOptions } from "@/lib/auth";
import { db } from "@/lib/db";
import { ForbiddenError } from "@/lib/domain/errors";
import { type Role, roleAllows } from "@/lib/domain/members";
import type { Actor } from "@/lib/domain/audit";

// Read through React's cache(): a dashboard page, its layouts and their
// components ask for the same member several times per request; one read serves them.
export const requireUser = cache(async function requireUser() {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) redirect("/login");
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
  if (!user) redirect("/login");
  return user;
});

export type TenantContext = Awaited<ReturnType<typeof requireTenantMember>>;

/** The signed-in user's membership of tenant `slug` (with the tenant), or null: read once per request. */
const membershipOf = cache(async (slug: string) => {
  const user = await requireUser();
  const membership = await db.membership.findFirst({
    where: { userId: user.id, tenant: { slug } },
    include: { tenant: true },
  });
  return { user, membership };
});

/** The signed-in member of tenant `slug` with at least role `needed`. */
export async function requireTenantMember(slug: string, needed: Role = "viewer") {
  // Server actions receive the slug from the browser: only a plain string names a tenant.
  if (typeof slug !== "string") notFound();
  const { user, membership } = await membershipOf(slug);
  if (!membership) notFound();
  if (!roleAllows(membership.role, needed)) throw new ForbiddenError(`This needs the ${needed} role`);
  const actor: Actor = { type: "member", id: user.id, label: user.email };
  return { user, tenant: membership.tenant, role: membership.role, actor };
}
