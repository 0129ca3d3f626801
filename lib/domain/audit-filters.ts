// The choices of the Logs page's filters: the actions and actors that occur
// in a tenant's audit trail (indexed by tenantId + action / actorId).
import { db } from "@/lib/db";

export async function auditActions(tenantId: string): Promise<string[]> {
  const rows = await db.auditEvent.groupBy({ by: ["action"], where: { tenantId }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}

export async function auditActors(tenantId: string): Promise<Array<{ id: string; label: string; type: string }>> {
  const rows = await db.auditEvent.groupBy({ by: ["actorId", "actorLabel", "actorType"], where: { tenantId }, orderBy: { actorLabel: "asc" } });
  const seen = new Map<string, { id: string; label: string; type: string }>();
  for (const r of rows) if (!seen.has(r.actorId)) seen.set(r.actorId, { id: r.actorId, label: r.actorLabel || r.actorId, type: r.actorType });
  return [...seen.values()];
}
