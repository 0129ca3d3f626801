// Members for tests join as people do: by an invitation they accept. A new
// email sets its own password; an existing account (no password given) accepts while signed in.
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { acceptInvitation, createInvitation } from "@/lib/domain/invitations";
import { getMember } from "@/lib/domain/members";
import type { Role } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";

export function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

export async function addMember(tenantId: string, input: { email: string; role: Role; name?: string; password?: string }) {
  const created = await createInvitation(tenantId, { email: input.email, role: input.role }, SYSTEM_ACTOR);
  const token = tokenOf(created.url);
  if (input.password) {
    await acceptInvitation(token, { newAccount: { password: input.password, name: input.name } });
  } else {
    const user = await db.user.findUniqueOrThrow({ where: { email: created.email }, select: { id: true } });
    await acceptInvitation(token, { signedInUserId: user.id });
  }
  const user = await db.user.findUniqueOrThrow({ where: { email: created.email }, select: { id: true } });
  return getMember(tenantId, user.id);
}
