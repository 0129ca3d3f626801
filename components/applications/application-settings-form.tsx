"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, TextArea } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  action: (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;
  name: string;
  description: string;
  readOnly: boolean;
};

export function ApplicationSettingsForm({ action, name, description, readOnly }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  const { fieldErrors, values, formError } = errorsOf(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={formError} />
      <Field label="Name" name="name" required maxLength={100} defaultValue={values.name ?? name} error={fieldErrors.name} disabled={readOnly} />
      <TextArea
        label="Description"
        name="description"
        maxLength={500}
        defaultValue={values.description ?? description}
        error={fieldErrors.description}
        disabled={readOnly}
      />
      {readOnly ? (
        <p className="text-xs text-slate-500">You have read-only access to this tenant.</p>
      ) : (
        <div className="flex justify-end">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save changes"}
          </Button>
        </div>
      )}
    </form>
  );
}
