// The audit trail: who changed what, with before/after values (never secrets).
import { isDeepStrictEqual } from "node:util";
import type { Tx } from "@/lib/db";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Ceiling } from "./ceiling";

export type { AuditEvent } from "@/lib/generated/prisma/client";

/**
 * Who makes a change. Members and clients carry their delegation ceiling (the
 * Management API scopes they may hand out, lib/domain/ceiling.ts); the system
 * (the operator's CLI, first-run setup) has none: it is not bound by one.
 */
export type Actor =
  | { type: "member"; id: string; label: string; ceiling: Ceiling }
  | { type: "client"; id: string; label: string; ceiling: Ceiling }
  | { type: "system"; id?: string; label?: string };

export const SYSTEM_ACTOR: Actor = { type: "system", id: "system", label: "Grantry" };

/** A user acting on their own account (signing in, changing a password, enrolling 2FA): they hand nothing out. */
export function accountActor(id: string, label: string): Actor {
  return { type: "member", id, label, ceiling: new Set() };
}

export type AuditEntry = {
  tenantId: string;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
};

const json = (value: unknown) => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue));

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  // The trail lists changes: an update that leaves every audited value as it
  // was (a PATCH of {} or of the current values) is not one.
  const unchanged = entry.before !== undefined && entry.after !== undefined && isDeepStrictEqual(json(entry.before), json(entry.after));
  if (unchanged) return;
  await tx.auditEvent.create({
    data: {
      tenantId: entry.tenantId,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? "system",
      actorLabel: entry.actor.label ?? "",
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? "",
      before: json(entry.before),
      after: json(entry.after),
    },
  });
}

export type AuditQuery = {
  tenantId: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  page?: number;
  perPage?: number;
};

export async function listAuditEvents(query: AuditQuery) {
  const perPage = Math.min(Math.max(query.perPage ?? 50, 1), 200);
  const page = Math.max(query.page ?? 1, 1);
  const where: Prisma.AuditEventWhereInput = {
    tenantId: query.tenantId,
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.from || query.to ? { createdAt: { gte: query.from, lte: query.to } } : {}),
  };
  const [items, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * perPage, take: perPage }),
    db.auditEvent.count({ where }),
  ]);
  return { items, total, page, perPage };
}
