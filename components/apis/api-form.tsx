"use client";
import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, SelectField } from "@/components/ui/field";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";
import { ScopeListEditor } from "./scope-list-editor";

type Defaults = { name: string; identifier: string; tokenLifetime: number; signingAlg: string };
type Props = {
  mode: "create" | "edit";
  action: (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;
  defaults?: Defaults;
  redirectBase?: string;
  readOnly?: boolean;
  builtIn?: boolean;
};

const ALGS = [
  { value: "RS256", label: "RS256 — RSA, widest support (default)" },
  { value: "ES256", label: "ES256 — ECDSA P-256, small and fast" },
  { value: "PS256", label: "PS256 — RSA-PSS" },
  { value: "EdDSA", label: "EdDSA — Ed25519" },
];

/** Create an API, or edit one (the identifier is immutable after creation). */
export function ApiForm({ mode, action, defaults, redirectBase, readOnly = false, builtIn = false }: Props) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(
    withFeedback(action, (data) => {
      // A new API's next step is its scopes: land where they are listed.
      if (mode === "create") router.push(`${redirectBase}/${data.id}/scopes`);
    }),
    null,
  );
  const { fieldErrors, values, formError } = errorsOf(state);
  const d = defaults ?? { name: "", identifier: "", tokenLifetime: 86400, signingAlg: "RS256" };
  return (
    <Card className="max-w-2xl">
      <form action={formAction} className="space-y-4" noValidate>
        <FormError message={formError} />
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          placeholder="Orders API"
          defaultValue={values.name ?? d.name}
          error={fieldErrors.name}
          disabled={readOnly || builtIn}
          hint={builtIn ? "The built-in API cannot be renamed." : undefined}
        />
        <Field
          label="Identifier"
          name="identifier"
          required
          placeholder="https://orders.example.com"
          defaultValue={values.identifier ?? d.identifier}
          error={fieldErrors.identifier}
          disabled={mode === "edit"}
          hint={
            mode === "create"
              ? "A URL or URN. It becomes the tokens' audience (aud) and cannot be changed later."
              : "The audience of this API's tokens. It cannot be changed."
          }
        />
        <Field
          label="Token lifetime (seconds)"
          name="token_lifetime"
          type="number"
          min={60}
          max={2592000}
          required
          defaultValue={values.token_lifetime ?? String(d.tokenLifetime)}
          error={fieldErrors.token_lifetime}
          disabled={readOnly}
          hint="86400 = 24 hours; at most 30 days."
        />
        <SelectField
          label="Signing algorithm"
          name="signing_alg"
          defaultValue={values.signing_alg ?? d.signingAlg}
          error={fieldErrors.signing_alg}
          disabled={readOnly}
        >
          {ALGS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </SelectField>
        {mode === "create" ? <ScopeListEditor errors={fieldErrors} /> : null}
        {readOnly ? null : (
          <div className="flex justify-end">
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : mode === "create" ? "Create API" : "Save changes"}
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}
