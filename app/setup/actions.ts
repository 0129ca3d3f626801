"use server";
// First run: the first owner and the default tenant.
import { redirect } from "next/navigation";
import { createFirstOwner } from "@/lib/domain/members";
import { type ActionResult, formString, keepValues, runAction } from "@/lib/http/action";

export async function setupAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const result = await runAction(() =>
    createFirstOwner({ email: formString(form, "email") ?? "", password: formString(form, "password") ?? "", name: formString(form, "name") }),
  );
  if (result.ok) redirect(`/login?setup=1&email=${encodeURIComponent(formString(form, "email") ?? "")}`);
  return keepValues(result, form, ["email", "name"]);
}
