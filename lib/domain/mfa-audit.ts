// A user's own two-factor changes are recorded in the audit trail of every
// tenant they belong to: each tenant's owners can see them, and the events
// are never stored outside a tenant.
import type { Tx } from "@/lib/db";
import { recordAudit } from "./audit";
import { roleCeiling } from "./ceiling";

/** The user acts on their own account here, handing nothing out. */
const NOTHING = roleCeiling("viewer");

export async function recordUserAudit(tx: Tx, userId: string, action: string, after: Record<string, unknown>): Promise<void> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, memberships: { select: { tenantId: true } } } });
  if (!user) return;
  for (const { tenantId } of user.memberships) {
    await recordAudit(tx, { tenantId, actor: { type: "member", id: userId, label: user.email, ceiling: NOTHING }, action, targetType: "user", targetId: userId, after });
  }
}
