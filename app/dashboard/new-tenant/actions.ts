"use server";
import { redirect } from "next/navigation";
import { roleCeiling } from "@/lib/domain/ceiling";
import { ForbiddenError } from "@/lib/domain/errors";
import { TENANT_CREATION_REFUSED, mayCreateTenant } from "@/lib/domain/members";
import { createTenant } from "@/lib/domain/tenants";
import { type ActionResult, formString, keepValues, runAction } from "@/lib/http/action";
import { requireUser } from "@/lib/http/session";

export async function createTenantAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const user = await requireUser();
  const result = await runAction(async () => {
    if (!(await mayCreateTenant(user.id))) throw new ForbiddenError(TENANT_CREATION_REFUSED);
    // The creator becomes the new tenant's owner: an owner's ceiling there.
    const actor = { type: "member" as const, id: user.id, label: user.email, ceiling: roleCeiling("owner") };
    return createTenant({ slug: formString(form, "slug") ?? "", name: formString(form, "name") || undefined }, actor, user.id);
  });
  if (result.ok) redirect(`/dashboard/${formString(form, "slug")?.trim()}/applications`);
  return keepValues(result, form, ["slug", "name"]);
}
