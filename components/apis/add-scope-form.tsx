"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = { action: (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>> };

export function AddScopeForm({ action }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  const { fieldErrors, values, formError } = errorsOf(state);
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <FormError message={formError} />
      <div className="grid items-start gap-4 sm:grid-cols-[1fr_2fr_auto]">
        <Field label="Scope" name="name" required placeholder="read:orders" defaultValue={values.name} error={fieldErrors.name} />
        <Field label="Description" name="description" placeholder="Read orders" defaultValue={values.description} error={fieldErrors.description} />
        <Button type="submit" disabled={pending} className="sm:mt-6">
          {pending ? "Adding…" : "Add scope"}
        </Button>
      </div>
    </form>
  );
}
