"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  action: (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;
  /** Ask for the current password (a change) or not (a reset link, a new account). */
  current?: boolean;
  /** Ask for a display name too (a new account). */
  name?: boolean;
  submit: string;
};

/** A new password, typed twice; optionally the current one and a name. */
export function PasswordForm({ action, current, name, submit }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  const { fieldErrors, values, formError } = errorsOf(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={formError} />
      {name ? <Field label="Your name (optional)" name="name" autoComplete="name" defaultValue={values.name} error={fieldErrors.name} /> : null}
      {current ? <Field label="Current password" name="current" type="password" autoComplete="current-password" required error={fieldErrors.current} /> : null}
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters"
        error={fieldErrors.password}
      />
      <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required error={fieldErrors.confirm} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submit}
      </Button>
    </form>
  );
}
