// Enforcing the delegation ceiling (lib/domain/ceiling.ts) on the writes that
// hand out Management API authority, and recording each refusal in the audit
// trail. The refusal is written in its own transaction: the change it refuses
// is never made, so there is no transaction of the change to join.
import type { Role } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { type Actor, recordAudit } from "./audit";
import { CeilingError, beyondCeiling, roleCeiling } from "./ceiling";

type Refusal = { tenantId: string; actor: Actor; action: string; targetType: string; targetId?: string; asked: unknown };

/** Refuses (and audits) a change that would give someone the scopes `wanted` beyond the actor's ceiling. */
export async function enforceCeiling(wanted: Iterable<string>, refusal: Refusal, message = "You cannot hand out more authority than you hold"): Promise<void> {
  if (refusal.actor.type === "system") return;
  const beyond = beyondCeiling(refusal.actor.ceiling, wanted);
  if (!beyond.length) return;
  await db.$transaction((tx) =>
    recordAudit(tx, {
      tenantId: refusal.tenantId,
      actor: refusal.actor,
      action: `${refusal.action}.refused`,
      targetType: refusal.targetType,
      targetId: refusal.targetId,
      after: { asked: refusal.asked, beyondCeiling: beyond },
    }),
  );
  throw new CeilingError(message, beyond);
}

/** Refuses (and audits) conferring `role`, or acting on a member whose role is `role`, beyond the actor's ceiling. */
export function enforceRoleCeiling(role: Role, refusal: Omit<Refusal, "asked">, what = `make someone ${role}`): Promise<void> {
  return enforceCeiling(roleCeiling(role), { ...refusal, asked: { role } }, `You cannot ${what}: that role holds more than you do`);
}

/** The Management API scopes an application's grant to the Management API holds now (none when it has no such grant). */
export async function managementScopesOf(tenantId: string, applicationId: string): Promise<string[]> {
  const grant = await db.grant.findFirst({
    where: { tenantId, applicationId, api: { tenantId, kind: "management" } },
    select: { scopes: { select: { scope: { select: { name: true } } } } },
  });
  return grant ? grant.scopes.map((s) => s.scope.name) : [];
}
