"use server";
import { redirect } from "next/navigation";
import { ForbiddenError } from "@/lib/domain/errors";
import { TENANT_CREATION_REFUSED, mayCreateTenant } from "@/lib/domain/members";
import { createTenant } from "@/lib/domain/tenants";
import { type ActionResult, formString, keepValues, runAction } from "@/lib/http/action";
import { requireUser } from "@/lib/http/session";

export async function createTenantAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const user = await requireUser();
  const result = await runAction(async () => {
    if (!(await mayCreateTenant(user.id))) throw new ForbiddenError(TENANT_CREATION_REFUSED);
    return createTenant({ slug: formString(form, "slug") ?? "", name: formString(form, "name") || undefined }, { type: "member", id: user.id, label: user.email }, user.id);
  });
  if (result.ok) redirect(`/dashboard/${formString(form, "slug")?.trim()}/applications`);
  return keepValues(result, form, ["slug", "name"]);
}
