"use server";
import { redirect } from "next/navigation";
import { DomainError } from "@/lib/domain/errors";
import { resetPassword } from "@/lib/domain/passwords";
import { type ActionResult, formString, runAction } from "@/lib/http/action";

export async function resetPasswordAction(token: string, _prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const password = formString(form, "password") ?? "";
  const result = await runAction(async () => {
    if (password !== formString(form, "confirm"))
      throw new DomainError("validation_failed", "The passwords differ", { confirm: "Must match the new password" });
    return resetPassword(token, password);
  });
  if (result.ok) redirect(`/login?email=${encodeURIComponent(result.data.email)}&reset=1`);
  return result;
}
