// Account events (sign-ins, failures, throttling, password changes and resets)
// belong to a user, not a tenant; the audit trail is per tenant, so each event
// is recorded in every tenant the user is a member of, where its Logs page shows it.
import { db, type Tx } from "@/lib/db";
import { type Actor, accountActor, recordAudit } from "./audit";

export async function recordAccountEvent(userId: string, action: string, actor: Actor, after?: unknown): Promise<void> {
  const memberships = await db.membership.findMany({ where: { userId }, select: { tenantId: true } });
  if (!memberships.length) return;
  await db.$transaction(async (tx) => {
    for (const m of memberships) await recordAudit(tx, { tenantId: m.tenantId, actor, action, targetType: "account", targetId: userId, after });
  });
}

/** The same, inside the caller's transaction, for a change the user makes to their own account (two-factor enrolment, passkeys…). */
export async function recordOwnAccountEvent(tx: Tx, userId: string, action: string, after: Record<string, unknown>): Promise<void> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, memberships: { select: { tenantId: true } } } });
  if (!user) return;
  const actor = accountActor(userId, user.email);
  for (const { tenantId } of user.memberships) await recordAudit(tx, { tenantId, actor, action, targetType: "account", targetId: userId, after });
}
