"use server";
// The signed-in user's own account: password and sessions. Both end every
// session, this one included, so the user signs in again.
import { redirect } from "next/navigation";
import { DomainError } from "@/lib/domain/errors";
import { changeOwnPassword, signOutEverywhere } from "@/lib/domain/passwords";
import { type ActionResult, formString, runAction } from "@/lib/http/action";
import { requireUser } from "@/lib/http/session";

export async function changePasswordAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const user = await requireUser();
  const password = formString(form, "password") ?? "";
  const result = await runAction(async () => {
    if (password !== formString(form, "confirm"))
      throw new DomainError("validation_failed", "The passwords differ", { confirm: "Must match the new password" });
    return changeOwnPassword(user.id, { current: formString(form, "current") ?? "", password });
  });
  if (result.ok) redirect(`/login?email=${encodeURIComponent(user.email)}&changed=1`);
  return result;
}

export async function signOutEverywhereAction(): Promise<ActionResult<unknown>> {
  const user = await requireUser();
  const result = await runAction(() => signOutEverywhere(user.id));
  if (result.ok) redirect(`/login?email=${encodeURIComponent(user.email)}`);
  return result;
}
