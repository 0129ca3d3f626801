"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = { action: (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>; name: string; readOnly: boolean };

export function TenantNameForm({ action, name, readOnly }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  const { fieldErrors, values, formError } = errorsOf(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={formError} />
      <Field
        label="Tenant name"
        name="name"
        required
        maxLength={100}
        defaultValue={values.name ?? name}
        error={fieldErrors.name}
        disabled={readOnly}
        hint={readOnly ? "Only owners can rename the tenant." : undefined}
      />
      {readOnly ? null : (
        <div className="flex justify-end">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save name"}
          </Button>
        </div>
      )}
    </form>
  );
}
