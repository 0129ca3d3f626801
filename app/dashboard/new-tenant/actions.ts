"use server";
import { redirect } from "next/navigation";
import { roleCeiling } from "@/lib/domain/ceiling";
import { createTenant } from "@/lib/domain/tenants";
import { type ActionResult, formString, keepValues, runAction } from "@/lib/http/action";
import { requireUser } from "@/lib/http/session";

export async function createTenantAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const user = await requireUser();
  const result = await runAction(() =>
    createTenant({ slug: formString(form, "slug") ?? "", name: formString(form, "name") || undefined }, { type: "member", id: user.id, label: user.email, ceiling: roleCeiling("owner") }, user.id),
  );
  if (result.ok) redirect(`/dashboard/${formString(form, "slug")?.trim()}/applications`);
  return keepValues(result, form, ["slug", "name"]);
}
