"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, TextArea } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";
import { type FlowActions, type FlowOptions, NewApplicationFlow } from "./new-application-flow";
import type { Credentials } from "./new-credentials";

type CreateAction = (prev: ActionResult<Credentials> | null, form: FormData) => Promise<ActionResult<Credentials>>;

type Props = { action: CreateAction; base: string; tokenUrl: string; flow: FlowOptions; flowActions: FlowActions };

/** The name and description; once created, the rest of the flow (credentials, authorize, test) on the same page. */
export function CreateApplicationForm({ action, base, tokenUrl, flow, flowActions }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  if (state?.ok) return <NewApplicationFlow credentials={state.data} base={base} tokenUrl={tokenUrl} options={flow} actions={flowActions} />;
  const { fieldErrors, values, formError } = errorsOf(state);
  return (
    <Card className="max-w-2xl">
      <form action={formAction} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          placeholder="Billing worker"
          defaultValue={values.name}
          error={fieldErrors.name}
          hint="Shown in the dashboard and the audit trail."
          autoFocus
        />
        <TextArea
          label="Description"
          name="description"
          maxLength={500}
          placeholder="Nightly invoice export"
          defaultValue={values.description}
          error={fieldErrors.description}
        />
        <div className="flex justify-end">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create application"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
