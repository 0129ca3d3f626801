"use client";
// Federated credentials (workload identity federation) on the Credentials tab:
// add one from a platform preset, list and delete them, and a Test box that
// explains whether a pasted external token would be accepted.
import { Plus } from "lucide-react";
import { Dialog } from "radix-ui";
import { useActionState, useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormError, SelectField, TextArea } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { errorsOf, toastResult, withFeedback } from "@/components/use-action-feedback";
import { formatDate, formatDateTime } from "@/components/format";
import { FEDERATION_PRESETS, PRESET_INFO, type FederationPreset } from "@/lib/domain/federation-presets";
import type { ActionResult } from "@/lib/http/action";
import type { FederationVerdict } from "@/lib/oauth/federation";

export type FederatedCredentialRow = {
  id: string;
  name: string;
  issuer: string;
  jwksUri: string | null;
  subject: string;
  audience: string;
  conditions: Record<string, string>;
  preset: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
};

type AddAction = (prev: ActionResult<null> | null, form: FormData) => Promise<ActionResult<null>>;
type TestAction = (prev: ActionResult<FederationVerdict> | null, form: FormData) => Promise<ActionResult<FederationVerdict>>;

export function AddFederatedCredential({ action, audience }: { action: AddAction; audience: string }) {
  return (
    <FormDialog
      title="Add a federated credential"
      trigger={
        <Button variant="secondary">
          <Plus aria-hidden className="size-4" /> Add federated credential
        </Button>
      }
    >
      {(close) => <AddBody action={action} close={close} audience={audience} />}
    </FormDialog>
  );
}

function AddBody({ action, close, audience }: { action: AddAction; close: () => void; audience: string }) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  const { fieldErrors, values, formError } = errorsOf(state);
  const [preset, setPreset] = useState<FederationPreset | "">((values.preset as FederationPreset | undefined) ?? "");
  const info = preset ? PRESET_INFO[preset] : null;
  return (
    <form action={formAction} className="mt-4 space-y-4" noValidate>
      <Dialog.Description className="text-sm text-slate-600">
        A workload sends the token its platform gave it as its client assertion, with this application&apos;s client_id. No secret exists anywhere.
      </Dialog.Description>
      <FormError message={formError} />
      <SelectField
        label="Platform"
        name="preset"
        value={preset}
        onChange={(e) => setPreset(e.target.value as FederationPreset | "")}
        error={fieldErrors.preset}
        hint={info?.hint}
      >
        <option value="">Other issuer</option>
        {FEDERATION_PRESETS.map((p) => (
          <option key={p} value={p}>
            {PRESET_INFO[p].label}
          </option>
        ))}
      </SelectField>
      <Field label="Name" name="name" required maxLength={100} defaultValue={values.name} error={fieldErrors.name} hint="Which workload this trusts." />
      <div key={preset} className="space-y-4">
        <Field
          label="Issuer"
          name="issuer"
          required
          type="url"
          defaultValue={values.issuer ?? info?.issuer}
          error={fieldErrors.issuer}
          hint="The external tokens' iss, exactly. Its keys are found through {issuer}/.well-known/openid-configuration."
        />
        <Field
          label="Subject"
          name="subject"
          required
          maxLength={400}
          className="font-mono"
          defaultValue={values.subject ?? info?.subject}
          error={fieldErrors.subject}
          hint="The sub required, exactly; * matches any run of characters (no other character is special)."
        />
      </div>
      <Field
        label="Audience"
        name="audience"
        required
        defaultValue={values.audience ?? audience}
        error={fieldErrors.audience}
        hint="The aud the workload asks its platform for."
      />
      <Field
        label="JWKS URL (optional)"
        name="jwks_uri"
        type="url"
        defaultValue={values.jwks_uri}
        error={fieldErrors.jwks_uri}
        hint="Only for an issuer without a discovery document."
      />
      <TextArea
        label="Claim conditions (optional)"
        name="conditions"
        rows={3}
        spellCheck={false}
        className="font-mono"
        defaultValue={values.conditions}
        error={fieldErrors.conditions}
        hint="One claim=value per line, e.g. repository_owner=acme (at most 10)."
      />
      <div className="flex justify-end gap-2">
        <Dialog.Close asChild>
          <Button variant="secondary">Cancel</Button>
        </Dialog.Close>
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add federated credential"}
        </Button>
      </div>
    </form>
  );
}

export function FederatedCredentialsTable({
  credentials,
  remove,
}: {
  credentials: FederatedCredentialRow[];
  remove: ((id: string) => Promise<ActionResult<null>>) | null;
}) {
  if (credentials.length === 0)
    return <p className="py-4 text-sm text-slate-500">No federated credentials. Add one to let a CI job or a cluster workload get tokens without a secret.</p>;
  return (
    <div role="region" aria-label="Federated credentials" tabIndex={0} className="relative -mx-5 overflow-x-auto">
      <table className="table-cards w-full text-left text-sm">
        <caption className="sr-only">Federated credentials</caption>
        <thead className="border-b border-slate-200 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-5 py-2">
              Name
            </th>
            <th scope="col" className="px-5 py-2">
              Issuer and subject
            </th>
            <th scope="col" className="px-5 py-2">
              Audience
            </th>
            <th scope="col" className="px-5 py-2">
              Last used
            </th>
            {remove ? (
              <th scope="col" className="px-5 py-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {credentials.map((c) => (
            <tr key={c.id}>
              <td data-label="Name" className="px-5 py-3 text-slate-900 [overflow-wrap:anywhere]">
                <span className="inline-flex items-center gap-2">
                  {c.name}
                  {c.preset && c.preset in PRESET_INFO ? <Badge tone="neutral">{PRESET_INFO[c.preset as FederationPreset].label}</Badge> : null}
                </span>
                <span className="block text-xs whitespace-nowrap text-slate-600">Added {formatDate(c.createdAt)}</span>
              </td>
              <td data-label="Issuer and subject" className="px-5 py-3 text-slate-700">
                <code className="block font-mono text-xs [overflow-wrap:anywhere]">{c.issuer}</code>
                <code className="block font-mono text-xs [overflow-wrap:anywhere]">sub: {c.subject}</code>
                {Object.entries(c.conditions).map(([claim, value]) => (
                  <code key={claim} className="block font-mono text-xs [overflow-wrap:anywhere]">
                    {claim}: {value}
                  </code>
                ))}
              </td>
              <td data-label="Audience" className="px-5 py-3 text-slate-700">
                <code className="font-mono text-xs [overflow-wrap:anywhere]">{c.audience}</code>
              </td>
              <td data-label="Last used" className="px-5 py-3 whitespace-nowrap text-slate-600">
                {c.lastUsedAt ? formatDateTime(c.lastUsedAt) : "Never"}
              </td>
              {remove ? (
                <td className="px-5 py-3 text-right">
                  <ConfirmDialog
                    trigger={
                      <Button variant="secondary" size="sm" aria-label={`Delete federated credential ${c.name}`}>
                        Delete
                      </Button>
                    }
                    title={`Delete the federated credential "${c.name}"?`}
                    description="The next token request with a token from this issuer and subject fails with invalid_client. Tokens already issued stay valid until they expire."
                    confirmLabel="Delete credential"
                    onConfirm={async () => toastResult(await remove(c.id))}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Paste an external token: whether the token endpoint would accept it, and exactly why not. */
export function TestFederatedToken({ action }: { action: TestAction }) {
  const [state, formAction, pending] = useActionState(action, null);
  const { fieldErrors, formError } = errorsOf(state);
  const verdict = state?.ok ? state.data : null;
  return (
    <form action={formAction} className="space-y-3 border-t border-slate-100 pt-4" noValidate>
      <h3 className="text-sm font-medium text-slate-900">Test a token</h3>
      <FormError message={formError} />
      <TextArea
        label="External token"
        name="token"
        rows={4}
        spellCheck={false}
        className="font-mono"
        error={fieldErrors.token}
        hint="Paste a token the workload received (e.g. from GitHub's ACTIONS_ID_TOKEN_REQUEST_URL). Nothing is issued or recorded."
      />
      <div className="flex justify-end">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Checking…" : "Test token"}
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {verdict ? (
          verdict.accepted ? (
            <p className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
              Accepted by &ldquo;{verdict.credentialName}&rdquo; (subject <code className="font-mono">{verdict.subject}</code>): the token endpoint would issue
              a token.
            </p>
          ) : (
            <p className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 [overflow-wrap:anywhere]">
              Refused ({verdict.reason}): {verdict.description}
            </p>
          )
        ) : null}
      </div>
    </form>
  );
}
