"use server";
// Accepting an invitation: a new account with the invitee's own password, or
// the signed-in account the invitation names.
import { redirect } from "next/navigation";
import { DomainError } from "@/lib/domain/errors";
import { acceptInvitation } from "@/lib/domain/invitations";
import { type ActionResult, formString, runAction } from "@/lib/http/action";
import { requireUser } from "@/lib/http/session";

export async function acceptAsNewAccountAction(token: string, _prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const password = formString(form, "password") ?? "";
  const result = await runAction(async () => {
    if (password !== formString(form, "confirm"))
      throw new DomainError("validation_failed", "The passwords differ", { confirm: "Must match the new password" });
    return acceptInvitation(token, { newAccount: { password, name: formString(form, "name") || undefined } });
  });
  if (result.ok) redirect(`/login?email=${encodeURIComponent(result.data.email)}&joined=1`);
  return { ...result, values: { name: formString(form, "name") ?? "" } };
}

export async function acceptAsSignedInAction(token: string): Promise<ActionResult<unknown>> {
  const user = await requireUser();
  const result = await runAction(() => acceptInvitation(token, { signedInUserId: user.id }));
  if (result.ok) redirect("/dashboard");
  return result;
}
