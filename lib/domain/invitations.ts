// Invitations: members join by a one-time link they open themselves, so nobody
// chooses another person's password and nobody is added without accepting.
// Creating one answers the same whether or not the email has an account.
import { z } from "zod";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/crypto";
import type { Prisma, Role } from "@/lib/generated/prisma/client";
import { type Actor, accountActor, recordAudit } from "./audit";
import { enforceRoleCeiling } from "./delegation";
import { LinkInvalidError, findLiveLink, linkUrl, newLinkToken } from "./account-links";
import { ConflictError, DomainError, NotFoundError, assertThat } from "./errors";
import { type ListPage, type Paged, readList } from "./paging";
import { passwordSchema, personNameSchema } from "./schemas";
import { createInvitationInput } from "./shapes/members";
import { parseInput } from "./validation";

export const INVITATION_DAYS = 7;

const invitationSelect = { id: true, email: true, role: true, expiresAt: true, createdAt: true, createdBy: true } as const;

/** Creates an invitation; the link (with its token) is returned only here. The actor's delegation ceiling bounds the role (refusals are audited). */
export async function createInvitation(tenantId: string, input: z.input<typeof createInvitationInput>, actor: Actor) {
  const { email, role } = parseInput(createInvitationInput, input);
  await enforceRoleCeiling(role, { tenantId, actor, action: "invitation.create", targetType: "invitation" }, `invite someone as ${role}`);
  const member = await db.membership.findFirst({ where: { tenantId, user: { email } }, select: { id: true } });
  if (member) throw new ConflictError("Already a member of this tenant", { email: "Already a member" });
  const { token, tokenHash } = newLinkToken();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  const invitation = await db.$transaction(async (tx) => {
    const row = await tx.accountLink.create({
      data: { kind: "invitation", tokenHash, tenantId, email, role, createdBy: actor.label ?? "", expiresAt },
      select: invitationSelect,
    });
    await recordAudit(tx, { tenantId, actor, action: "invitation.create", targetType: "invitation", targetId: row.id, after: { email, role, expiresAt } });
    return row;
  });
  return { ...invitation, role: invitation.role as Role, url: linkUrl("invitation", token) };
}

type InvitationRow = Prisma.AccountLinkGetPayload<{ select: typeof invitationSelect }>;
export type Invitation = Omit<InvitationRow, "role"> & { role: Role };

/** Pending invitations (neither used, revoked nor expired), oldest first: all of them, or one page and the total. */
export function listInvitations(tenantId: string): Promise<Invitation[]>;
export function listInvitations(tenantId: string, page: ListPage): Promise<Paged<Invitation>>;
export async function listInvitations(tenantId: string, page?: ListPage): Promise<Invitation[] | Paged<Invitation>> {
  const where: Prisma.AccountLinkWhereInput = { tenantId, kind: "invitation", usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } };
  const { items, total } = await readList(
    page,
    (window) => db.accountLink.findMany({ where, select: invitationSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),
    () => db.accountLink.count({ where }),
  );
  const invitations = items.map((r) => ({ ...r, role: r.role as Role }));
  return page ? { items: invitations, total } : invitations;
}

export async function revokeInvitation(tenantId: string, id: string, actor: Actor): Promise<void> {
  const row = await db.accountLink.findFirst({ where: { id, tenantId, kind: "invitation", usedAt: null, revokedAt: null } });
  assertThat(row, new NotFoundError("Invitation"));
  await db.$transaction(async (tx) => {
    await tx.accountLink.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "invitation.revoke",
      targetType: "invitation",
      targetId: row.id,
      before: { email: row.email, role: row.role },
    });
  });
}

/** What the invitee sees before accepting: the tenant and the role. */
export async function describeInvitation(token: unknown) {
  const link = await findLiveLink("invitation", token);
  const tenant = await db.tenant.findUnique({ where: { id: link.tenantId ?? "" }, select: { slug: true, name: true } });
  assertThat(tenant, new LinkInvalidError());
  // Whether the email has an account is not part of the answer: the inviter holds the link too.
  return { email: link.email, role: link.role as Role, tenant };
}

export const acceptNewAccountInput = z.object({ password: passwordSchema, name: personNameSchema.optional() }).strict();

/**
 * Accepts an invitation. `signedInUserId` set: the signed-in account whose email
 * the invitation names joins. Otherwise a new account is created with the
 * invitee's own password (refused when the email already has one: sign in first).
 * The link is consumed in the same transaction, so it works once.
 */
export async function acceptInvitation(token: unknown, how: { signedInUserId: string } | { newAccount: z.input<typeof acceptNewAccountInput> }) {
  const link = await findLiveLink("invitation", token);
  const tenantId = link.tenantId!;
  const role = link.role as Role;
  const newAccount = "newAccount" in how ? parseInput(acceptNewAccountInput, how.newAccount) : null;
  const passwordHash = newAccount ? await hashPassword(newAccount.password) : null;
  return db.$transaction(async (tx) => {
    // Consume first: a concurrent second acceptance finds nothing to update.
    const consumed = await tx.accountLink.updateMany({ where: { id: link.id, usedAt: null, revokedAt: null }, data: { usedAt: new Date() } });
    if (consumed.count !== 1) throw new LinkInvalidError();
    let user: { id: string; email: string };
    if (newAccount) {
      if (await tx.user.findUnique({ where: { email: link.email }, select: { id: true } }))
        throw new DomainError("conflict", "Sign in to accept this invitation", { email: "Sign in with this email to accept" });
      user = await tx.user.create({ data: { email: link.email, name: newAccount.name ?? "", passwordHash: passwordHash! }, select: { id: true, email: true } });
    } else {
      const found = await tx.user.findUnique({ where: { id: (how as { signedInUserId: string }).signedInUserId }, select: { id: true, email: true } });
      if (!found || found.email !== link.email)
        throw new DomainError("forbidden", "This invitation is for another email address", { email: "Sign in as the invited email" });
      user = found;
    }
    if (await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: user.id } } }))
      throw new ConflictError("Already a member of this tenant");
    await tx.membership.create({ data: { tenantId, userId: user.id, role } });
    // An owner's reset link was allowed for a member of one tenant: joining another ends it.
    await tx.accountLink.updateMany({ where: { kind: "reset", userId: user.id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    const actor = accountActor(user.id, user.email);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "invitation.accept",
      targetType: "invitation",
      targetId: link.id,
      after: { email: user.email, role, newAccount: Boolean(newAccount) },
    });
    return { userId: user.id, email: user.email, tenantId, role };
  });
}
