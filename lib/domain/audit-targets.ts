// Names for the audit trail's targets. An event stores the target's id (a
// name changes, an id stays); the Logs page shows what the id is today, or,
// for a target since deleted, the name the event itself recorded.
import { db } from "@/lib/db";

type Target = { action: string; targetType: string; targetId: string; before: unknown; after: unknown };

const keyOf = (type: string, id: string) => `${type}:${id}`;

/**
 * The name or email a change of the target itself (application.delete, not
 * key.create on an application) recorded, if it recorded one.
 */
function recordedName(event: Target): string | undefined {
  if (!event.action.startsWith(`${event.targetType}.`)) return undefined;
  for (const side of [event.after, event.before]) {
    if (side && typeof side === "object") {
      const { name, email } = side as { name?: unknown; email?: unknown };
      if (typeof name === "string" && name) return name;
      if (typeof email === "string" && email) return email;
    }
  }
  return undefined;
}

/**
 * "type:id" → a readable name, for one page of events: one read per kind of
 * target, each limited to the tenant (an id from another tenant names nothing).
 */
export async function auditTargetNames(tenantId: string, events: Target[]): Promise<Map<string, string>> {
  const ids = (...types: string[]) => [...new Set(events.filter((e) => types.includes(e.targetType) && e.targetId).map((e) => e.targetId))];
  const [applications, apis, users, grants] = await Promise.all([
    db.application.findMany({ where: { tenantId, id: { in: ids("application") } }, select: { id: true, name: true } }),
    db.api.findMany({ where: { tenantId, id: { in: ids("api") } }, select: { id: true, name: true } }),
    db.user.findMany({
      where: { id: { in: ids("member", "account") }, memberships: { some: { tenantId } } },
      select: { id: true, name: true, email: true },
    }),
    db.grant.findMany({
      where: { tenantId, id: { in: ids("grant") } },
      select: { id: true, application: { select: { name: true } }, api: { select: { name: true } } },
    }),
  ]);
  const names = new Map<string, string>();
  // Oldest first, so the newest recorded name (after a rename) is the one kept.
  for (const e of [...events].reverse()) {
    const recorded = recordedName(e);
    if (recorded && e.targetId) names.set(keyOf(e.targetType, e.targetId), recorded);
  }
  for (const a of applications) names.set(keyOf("application", a.id), a.name);
  for (const a of apis) names.set(keyOf("api", a.id), a.name);
  for (const u of users) {
    names.set(keyOf("member", u.id), u.name || u.email);
    names.set(keyOf("account", u.id), u.name || u.email);
  }
  for (const g of grants) names.set(keyOf("grant", g.id), `${g.application.name} → ${g.api.name}`);
  return names;
}
