"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = { action: (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>; canInviteOwner: boolean };

/** Creates an invitation and shows its one-time link once: the invitee sets their own password. */
export function InviteMemberForm({ action, canInviteOwner }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  const { fieldErrors, values, formError } = errorsOf(state);
  const url = state?.ok ? (state.data as { url?: string } | null)?.url : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={formError} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Email to invite" name="email" type="email" required autoComplete="off" defaultValue={values.email} error={fieldErrors.email} />
        <SelectField label="Role" name="role" defaultValue={values.role ?? "viewer"} error={fieldErrors.role}>
          <option value="viewer">Viewer — read-only</option>
          <option value="admin">Admin — applications, APIs, grants, secrets</option>
          {canInviteOwner ? <option value="owner">Owner — everything, incl. members and keys</option> : null}
        </SelectField>
      </div>
      {url ? (
        <div role="status">
          <CopyField label="Invitation link (shown once, valid 7 days, single use)" value={url} />
        </div>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Inviting…" : "Create invitation"}
        </Button>
      </div>
    </form>
  );
}
