// Application keys: the stable handle a tenant file (grants as code) names an
// application by. Chosen by whoever creates the application, or derived from
// its name here, as the migration that introduced them derived the keys of
// the applications that existed then (prisma/migrations/*_application_key).
import type { Tx } from "@/lib/db";
import { ConflictError } from "./errors";

const MAX_BASE = 48;

/** "Billing Service (EU)" → "billing-service-eu"; accents dropped, "app" when nothing is left. */
export function keyFromName(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  const base = ascii
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_BASE)
    .replace(/-+$/, "");
  return base || "app";
}

/**
 * `wanted` when the tenant has no application with it, else — for a derived
 * key only — the first free `base-2`, `base-3`…; a chosen key that is taken is
 * a conflict. Call inside mutateTenant: its lock on the tenant makes the
 * check and the insert one step.
 */
export async function freeApplicationKey(tx: Tx, tenantId: string, wanted: string, derived: boolean, taken: ReadonlySet<string> = new Set()): Promise<string> {
  const rows = await tx.application.findMany({ where: { tenantId, key: { startsWith: wanted } }, select: { key: true } });
  const used = new Set([...rows.map((r) => r.key), ...taken]);
  if (!used.has(wanted)) return wanted;
  if (!derived) throw keyTaken();
  for (let n = 2; ; n++) if (!used.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

export function keyTaken(): ConflictError {
  return new ConflictError("Another application of this tenant has this key", { key: "Already used by another application" });
}
