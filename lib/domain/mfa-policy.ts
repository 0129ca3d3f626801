// The tenant's "require two-factor sign-in" setting: an owner turns it on, and
// members without a second factor are sent to enrol before they reach the tenant.
import { z } from "zod";
import { db } from "@/lib/db";
import { type Actor, recordAudit } from "./audit";
import { ConflictError, NotFoundError, assertThat } from "./errors";
import { hasTwoFactor } from "./mfa-totp";
import { parseInput } from "./validation";

const input = z.object({ requireTwoFactor: z.boolean() });

export async function setRequireTwoFactor(tenantId: string, value: unknown, actor: Actor): Promise<void> {
  const { requireTwoFactor } = parseInput(input, { requireTwoFactor: value });
  // An owner without a second factor would send themselves to enrol on the next page: have them enrol first.
  if (requireTwoFactor && actor.type === "member" && !(await hasTwoFactor(actor.id))) {
    throw new ConflictError("Turn on your own two-factor sign-in first (Account security)", { requireTwoFactor: "Your account has no second factor yet" });
  }
  await db.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId }, select: { requireTwoFactor: true } });
    assertThat(before, new NotFoundError("Tenant"));
    await tx.tenant.update({ where: { id: tenantId }, data: { requireTwoFactor } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "tenant.require_2fa_changed",
      targetType: "tenant",
      targetId: tenantId,
      before,
      after: { requireTwoFactor },
    });
  });
}

/** Whether a member must enrol before reaching this tenant. */
export function mustEnrol(tenant: { requireTwoFactor: boolean }, userHasTwoFactor: boolean): boolean {
  return tenant.requireTwoFactor && !userHasTwoFactor;
}
