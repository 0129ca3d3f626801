"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = { action: (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>> };

/** Invites by creating the member: a new email gets an account with this initial password. */
export function AddMemberForm({ action }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  const { fieldErrors, values, formError } = errorsOf(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={formError} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Member email" name="email" type="email" required autoComplete="off" defaultValue={values.email} error={fieldErrors.email} />
        <SelectField label="Role" name="role" defaultValue={values.role ?? "viewer"} error={fieldErrors.role}>
          <option value="viewer">Viewer — read-only</option>
          <option value="admin">Admin — applications, APIs, grants, secrets</option>
          <option value="owner">Owner — everything, incl. members and keys</option>
        </SelectField>
        <Field label="Member name (optional)" name="name" autoComplete="off" defaultValue={values.name} error={fieldErrors.name} />
        <Field label="Initial password" name="password" type="password" autoComplete="new-password" error={fieldErrors.password} hint="Needed when the email has no Grantry account yet (at least 12 characters). Share it privately." />
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>{pending ? "Adding…" : "Add member"}</Button>
      </div>
    </form>
  );
}
