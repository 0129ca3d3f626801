// Account events (sign-ins, failures, throttling, password changes and resets)
// belong to a user, not a tenant; the audit trail is per tenant, so each event
// is recorded in every tenant the user is a member of, where its Logs page shows it.
import { db } from "@/lib/db";
import { type Actor, recordAudit } from "./audit";

export async function recordAccountEvent(userId: string, action: string, actor: Actor, after?: unknown): Promise<void> {
  const memberships = await db.membership.findMany({ where: { userId }, select: { tenantId: true } });
  if (!memberships.length) return;
  await db.$transaction(async (tx) => {
    for (const m of memberships) await recordAudit(tx, { tenantId: m.tenantId, actor, action, targetType: "account", targetId: userId, after });
  });
}
