"use client";
// Quotas (tokens per UTC hour and day; enforce or log-only) and, for grants,
// an expiry: one form for the application's Settings tab and every grant row.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

export type LimitValues = { quotaPerHour: number | null; quotaPerDay: number | null; quotaMode: "enforce" | "log"; expiresAt?: Date | null };

type Props = {
  action: (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;
  values: LimitValues;
  /** Grants have an expiry; applications do not. */
  withExpiry?: boolean;
  /** Keeps ids unique when several forms share a page. */
  idPrefix: string;
  readOnly: boolean;
};

// Field names are the Management API's, so the domain's errors name them.
const QUOTA_FIELDS = [
  { name: "quota_per_hour", value: "quotaPerHour", label: "Tokens per hour" },
  { name: "quota_per_day", value: "quotaPerDay", label: "Tokens per day" },
] as const;

/** `datetime-local` wants "YYYY-MM-DDTHH:mm"; the form reads and writes UTC. */
const toInput = (date: Date | null | undefined) => (date ? date.toISOString().slice(0, 16) : "");

export function LimitsForm({ action, values, withExpiry = false, idPrefix, readOnly }: Props) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  const { fieldErrors, values: kept, formError } = errorsOf(state);
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={formError} />
      {withExpiry ? (
        <Field
          id={id("expires_at")}
          label="Expires at (UTC)"
          name="expires_at"
          type="datetime-local"
          defaultValue={kept.expires_at ?? toInput(values.expiresAt)}
          error={fieldErrors.expires_at}
          hint="Empty: the grant never expires. After this time the token endpoint answers access_denied."
          disabled={readOnly}
        />
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        {QUOTA_FIELDS.map(({ name, value, label }) => (
          <Field
            key={name}
            id={id(name)}
            label={label}
            name={name}
            inputMode="numeric"
            placeholder="No limit"
            defaultValue={kept[name] ?? values[value] ?? ""}
            error={fieldErrors[name]}
            disabled={readOnly}
          />
        ))}
        <SelectField
          id={id("quota_mode")}
          label="Over quota"
          name="quota_mode"
          defaultValue={kept.quota_mode ?? values.quotaMode}
          error={fieldErrors.quota_mode}
          disabled={readOnly}
        >
          <option value="enforce">Refuse (429)</option>
          <option value="log">Issue and flag</option>
        </SelectField>
      </div>
      <p className="text-xs text-slate-500">
        Hours and days are UTC. Refused requests answer 429 too_many_requests with Retry-After; flagged ones show on the Usage tab.
      </p>
      {readOnly ? null : (
        <div className="flex justify-end">
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending ? "Saving…" : withExpiry ? "Save expiry and quota" : "Save quota"}
          </Button>
        </div>
      )}
    </form>
  );
}
