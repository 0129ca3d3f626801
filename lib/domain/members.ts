// Members: dashboard admins and their role in each tenant.
import { z } from "zod";
import { db } from "@/lib/db";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "@/lib/crypto";
import type { Role } from "@/lib/generated/prisma/client";
import { type Actor, SYSTEM_ACTOR, recordAudit } from "./audit";
import { enforceRoleCeiling } from "./delegation";
import { ConflictError, NotFoundError, assertThat } from "./errors";
import { type ListPage, type Paged, readList } from "./paging";
import { emailSchema, passwordSchema, personNameSchema } from "./schemas";
import { createTenant } from "./tenants";
import { updateMemberInput } from "./shapes/members";
import { parseInput } from "./validation";
import { env } from "@/lib/env";

export type { Role };

const ROLE_RANK: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };

export function roleAllows(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export const memberSelect = { id: true, email: true, name: true, createdAt: true } as const;

export async function hasAnyUser(): Promise<boolean> {
  return (await db.user.count()) > 0;
}

export const firstOwnerInput = z.object({ email: emailSchema, password: passwordSchema, name: personNameSchema.optional() });

/**
 * First run: creates the first owner and the default tenant. Refuses once any
 * user exists, so /setup cannot be replayed.
 */
export async function createFirstOwner(input: z.input<typeof firstOwnerInput>) {
  const { email, password, name } = parseInput(firstOwnerInput, input);
  const passwordHash = await hashPassword(password);
  if (await hasAnyUser()) throw new ConflictError("Setup is already complete");
  const user = await db.user.create({ data: { email, name: name ?? "", passwordHash, instanceAdmin: true }, select: memberSelect });
  const slug = env().GRANTRY_DEFAULT_TENANT;
  try {
    const existing = await db.tenant.findUnique({ where: { slug } });
    if (existing) {
      await db.membership.create({ data: { tenantId: existing.id, userId: user.id, role: "owner" } });
    } else {
      await createTenant({ slug, name: "Default" }, SYSTEM_ACTOR, user.id);
    }
  } catch (error) {
    // An owner without a tenant would lock /setup (a user exists) with no way in:
    // undo the user, so that setup can be run again. (A concurrent setup that
    // created the default tenant first makes this one fail here.)
    await db.user.delete({ where: { id: user.id } }).catch(() => {});
    throw error;
  }
  return user;
}

/** The user for an email and password, or null; as slow for an unknown email as for a wrong password. */
export async function verifyCredentials(email: string, password: string) {
  const normalized = email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email: normalized } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  return ok && user ? { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } : null;
}

/** A user by id, as a session carries it, or null (deleted since). */
export async function findUser(userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, sessionVersion: true } });
}

/** The user with this email (normalised as sign-in normalises it), or null. */
export async function findUserByEmail(email: string) {
  return db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true } });
}

/** Up to `limit` users, in no particular order: the CLI asks for two to tell "the only admin" from "several". */
export async function listUsers(limit: number) {
  return db.user.findMany({ take: limit, select: { id: true, email: true } });
}

export const TENANT_CREATION_REFUSED = "Only instance admins may create tenants here (GRANTRY_TENANT_CREATION=admins): ask the operator";

/** Whether the user may create tenants in the dashboard under GRANTRY_TENANT_CREATION. */
export async function mayCreateTenant(userId: string): Promise<boolean> {
  if (env().GRANTRY_TENANT_CREATION === "anyone") return true;
  const user = await db.user.findUnique({ where: { id: userId }, select: { instanceAdmin: true } });
  return Boolean(user?.instanceAdmin);
}

export async function getMembership(userId: string, tenantId: string) {
  return db.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } } });
}

export type Member = { id: string; email: string; name: string; role: Role; createdAt: Date };

/** The tenant's members, in the order they joined: all of them, or one page and the total. */
export function listMembers(tenantId: string): Promise<Member[]>;
export function listMembers(tenantId: string, page: ListPage): Promise<Paged<Member>>;
export async function listMembers(tenantId: string, page?: ListPage): Promise<Member[] | Paged<Member>> {
  const where = { tenantId };
  const { items, total } = await readList(
    page,
    (window) => db.membership.findMany({ where, include: { user: { select: memberSelect } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),
    () => db.membership.count({ where }),
  );
  const members = items.map((m): Member => ({ id: m.user.id, email: m.user.email, name: m.user.name, role: m.role, createdAt: m.createdAt }));
  return page ? { items: members, total } : members;
}

export async function getMember(tenantId: string, userId: string) {
  const members = await db.membership.findFirst({ where: { tenantId, userId }, include: { user: { select: memberSelect } } });
  assertThat(members, new NotFoundError("Member"));
  return { id: members.user.id, email: members.user.email, name: members.user.name, role: members.role, createdAt: members.createdAt };
}

async function assertNotLastOwner(tenantId: string, userId: string) {
  const membership = await getMembership(userId, tenantId);
  assertThat(membership, new NotFoundError("Member"));
  if (membership.role !== "owner") return membership;
  const owners = await db.membership.count({ where: { tenantId, role: "owner" } });
  // A conflict with the tenant's state, not a missing permission: the caller may do this to any other owner.
  if (owners <= 1) throw new ConflictError("The last owner of a tenant cannot be removed or demoted", { role: "The tenant needs at least one owner" });
  return membership;
}

export async function changeMemberRole(tenantId: string, userId: string, input: z.input<typeof updateMemberInput>, actor: Actor) {
  const parsed = parseInput(updateMemberInput, input).role;
  const before = parsed === "owner" ? await getMembership(userId, tenantId) : await assertNotLastOwner(tenantId, userId);
  assertThat(before, new NotFoundError("Member"));
  if (before.role === parsed) return getMember(tenantId, userId);
  const refusal = { tenantId, actor, action: "member.update", targetType: "member", targetId: userId };
  // Nobody confers a role that holds more than they do (which also stops a
  // member raising their own role), nor changes the role of someone whose role
  // holds more than they do (an app with update:users demoting the owner).
  await enforceRoleCeiling(before.role, refusal, `change the role of a member who is ${before.role}`);
  await enforceRoleCeiling(parsed, refusal);
  await db.$transaction(async (tx) => {
    await tx.membership.update({ where: { id: before.id }, data: { role: parsed } });
    // A reset link was checked against the member's role when it was made: a new role ends it.
    await tx.accountLink.updateMany({ where: { kind: "reset", userId, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "member.update",
      targetType: "member",
      targetId: userId,
      before: { role: before.role },
      after: { role: parsed },
    });
  });
  return getMember(tenantId, userId);
}

export async function removeMember(tenantId: string, userId: string, actor: Actor) {
  const membership = await assertNotLastOwner(tenantId, userId);
  await enforceRoleCeiling(
    membership.role,
    { tenantId, actor, action: "member.delete", targetType: "member", targetId: userId },
    `remove a member who is ${membership.role}`,
  );
  await db.$transaction(async (tx) => {
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAudit(tx, { tenantId, actor, action: "member.delete", targetType: "member", targetId: userId, before: { role: membership.role } });
  });
}

/** CLI `admin create`: the first owner on a fresh install, otherwise an owner of the default tenant; both instance admins. */
export async function createAdmin(input: z.input<typeof firstOwnerInput>) {
  if (!(await hasAnyUser())) return createFirstOwner(input);
  const { email, password, name } = parseInput(firstOwnerInput, input);
  if (await db.user.findUnique({ where: { email } })) throw new ConflictError("A user with this email already exists", { email: "Already exists" });
  const tenant = await db.tenant.findUnique({ where: { slug: env().GRANTRY_DEFAULT_TENANT } });
  const user = await db.user.create({
    data: { email, name: name ?? "", passwordHash: await hashPassword(password), instanceAdmin: true },
    select: memberSelect,
  });
  if (tenant) await db.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
  return user;
}
