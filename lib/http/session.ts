// Who is asking, in dashboard pages and server actions. A non-member gets a
// 404 for a tenant's pages, so tenant slugs and ids cannot be probed.
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { authOptions } from "@/lib/auth";
import { db } from "@/lib/db";
import { ForbiddenError } from "@/lib/domain/errors";
import { type Role, roleAllows } from "@/lib/domain/members";
import type { Actor } from "@/lib/domain/audit";

export async function requireUser() {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) redirect("/login");
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
  if (!user) redirect("/login");
  return user;
}

export type TenantContext = Awaited<ReturnType<typeof requireTenantMember>>;

/** The signed-in member of tenant `slug` with at least role `needed`. */
export async function requireTenantMember(slug: string, needed: Role = "viewer") {
  // Server actions receive the slug from the browser: only a plain string names a tenant.
  if (typeof slug !== "string") notFound();
  const user = await requireUser();
  const membership = await db.membership.findFirst({
    where: { userId: user.id, tenant: { slug } },
    include: { tenant: true },
  });
  if (!membership) notFound();
  if (!roleAllows(membership.role, needed)) throw new ForbiddenError(`This needs the ${needed} role`);
  const actor: Actor = { type: "member", id: user.id, label: user.email };
  return { user, tenant: membership.tenant, role: membership.role, actor };
}
