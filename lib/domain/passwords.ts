// A user's own password and sessions, and the one-time reset links an owner
// (for a member of their tenant) or the operator (CLI) can create.
import { z } from "zod";
import { db } from "@/lib/db";
import { hashPassword, verifyPassword } from "@/lib/crypto";
import { recordAccountEvent } from "./account-audit";
import { LinkInvalidError, findLiveLink, linkUrl, newLinkToken } from "./account-links";
import { type Actor, SYSTEM_ACTOR, accountActor, recordAudit } from "./audit";
import { enforceRoleCeiling } from "./delegation";
import { DomainError, ForbiddenError, NotFoundError, assertThat } from "./errors";
import { emailSchema, passwordSchema } from "./schemas";
import { parseInput } from "./validation";

/** Reset links are short-lived: they hand over an account. */
export const RESET_HOURS = 1;

export const changePasswordInput = z.object({ current: z.string().max(200), password: passwordSchema }).strict();

/** Changes the user's own password (the current one required) and ends every other session. */
export async function changeOwnPassword(userId: string, input: z.input<typeof changePasswordInput>) {
  const { current, password } = parseInput(changePasswordInput, input);
  const user = await db.user.findUnique({ where: { id: userId } });
  assertThat(user, new NotFoundError("User"));
  if (!(await verifyPassword(current, user.passwordHash)))
    throw new DomainError("validation_failed", "The current password is wrong", { current: "Wrong password" });
  const updated = await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(password), sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  await recordAccountEvent(userId, "account.password_change", accountActor(userId, user.email));
  return updated.sessionVersion;
}

/** Ends every session of the user: the JWT callback compares this version. */
export async function signOutEverywhere(userId: string): Promise<number> {
  const updated = await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true, email: true } });
  await recordAccountEvent(userId, "account.sign_out_everywhere", accountActor(userId, updated.email));
  return updated.sessionVersion;
}

export async function sessionVersion(userId: string): Promise<number | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  return user ? user.sessionVersion : null;
}

async function issueReset(user: { id: string; email: string }, createdBy: string) {
  const { token, tokenHash } = newLinkToken();
  const expiresAt = new Date(Date.now() + RESET_HOURS * 3_600_000);
  // A new link replaces any earlier one still outstanding.
  await db.accountLink.updateMany({ where: { kind: "reset", userId: user.id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  await db.accountLink.create({ data: { kind: "reset", tokenHash, email: user.email, userId: user.id, createdBy, expiresAt } });
  return { url: linkUrl("reset", token), expiresAt };
}

/**
 * An owner's reset link for a member of their tenant. A reset link hands over
 * the whole account, and accounts are global: so the caller's ceiling must
 * cover the member's role (an application with update:users cannot take over
 * an owner), and the member must belong to no other tenant (an owner of one
 * tenant must not take over a member's access to another). Members of several
 * tenants reset their own password, or the operator does (CLI).
 */
export async function createMemberResetLink(tenantId: string, userId: string, actor: Actor) {
  const membership = await db.membership.findFirst({ where: { tenantId, userId }, include: { user: { select: { id: true, email: true } } } });
  assertThat(membership, new NotFoundError("Member"));
  const refusal = { tenantId, actor, action: "account.reset_link", targetType: "member", targetId: userId };
  await enforceRoleCeiling(membership.role, refusal, `reset the password of a member who is ${membership.role}`);
  if (await db.membership.findFirst({ where: { userId, tenantId: { not: tenantId } }, select: { id: true } })) {
    throw new ForbiddenError(
      "This member also belongs to other tenants: only they (Your account) or the operator (grantry admin reset-password) can change their password",
    );
  }
  const link = await issueReset(membership.user, actor.label ?? "");
  await db.$transaction((tx) =>
    recordAudit(tx, { tenantId, actor, action: "account.reset_link", targetType: "member", targetId: userId, after: { expiresAt: link.expiresAt } }),
  );
  return link;
}

/** The operator's recovery path (CLI): a reset link for any account. */
export async function createOperatorResetLink(email: string) {
  const parsed = parseInput(emailSchema, email);
  const user = await db.user.findUnique({ where: { email: parsed }, select: { id: true, email: true } });
  assertThat(user, new NotFoundError("User"));
  const link = await issueReset(user, "operator");
  await recordAccountEvent(user.id, "account.reset_link", { ...SYSTEM_ACTOR, label: "operator (CLI)" });
  return link;
}

/** The operator's other path (CLI): sets a password read from stdin or the environment. */
export async function setPasswordByOperator(email: string, password: string) {
  const parsed = parseInput(z.object({ email: emailSchema, password: passwordSchema }), { email, password });
  const user = await db.user.findUnique({ where: { email: parsed.email }, select: { id: true } });
  assertThat(user, new NotFoundError("User"));
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(parsed.password), sessionVersion: { increment: 1 } } });
  await recordAccountEvent(user.id, "account.password_reset", { ...SYSTEM_ACTOR, label: "operator (CLI)" });
}

/**
 * The operator's recovery for a user who lost their second factor (CLI
 * `admin reset-password --remove-second-factors`): the authenticator app, the
 * recovery codes and every passkey go, and every session ends. Nobody else can
 * do this: an owner's reset link changes the password only, so it never hands
 * over an account that a second factor protects.
 */
export async function removeSecondFactorsByOperator(email: string): Promise<{ totp: boolean; passkeys: number }> {
  const parsed = parseInput(emailSchema, email);
  const user = await db.user.findUnique({ where: { email: parsed }, select: { id: true } });
  assertThat(user, new NotFoundError("User"));
  const removed = await db.$transaction(async (tx) => {
    const totp = await tx.userTotp.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    const passkeys = await tx.passkey.deleteMany({ where: { userId: user.id } });
    await tx.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    return { totp: totp.count > 0, passkeys: passkeys.count };
  });
  await recordAccountEvent(user.id, "account.second_factors_removed", { ...SYSTEM_ACTOR, label: "operator (CLI)" }, removed);
  return removed;
}

export async function describeResetLink(token: unknown) {
  const link = await findLiveLink("reset", token);
  return { email: link.email };
}

/** Uses a reset link once: sets the new password and ends every session. */
export async function resetPassword(token: unknown, password: string) {
  const link = await findLiveLink("reset", token);
  const parsed = parseInput(z.object({ password: passwordSchema }), { password });
  const passwordHash = await hashPassword(parsed.password);
  const consumed = await db.accountLink.updateMany({ where: { id: link.id, usedAt: null, revokedAt: null }, data: { usedAt: new Date() } });
  if (consumed.count !== 1) throw new LinkInvalidError();
  await db.user.update({ where: { id: link.userId! }, data: { passwordHash, sessionVersion: { increment: 1 } } });
  await recordAccountEvent(link.userId!, "account.password_reset", accountActor(link.userId!, link.email));
  return { email: link.email };
}
