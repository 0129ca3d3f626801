"use client";
// Public key sets (private_key_jwt) on the Credentials tab: add one by pasting
// a JWK, a JWK Set or PEM, or by the URL where the service publishes them; list them with their kids; revoke; and the switch
// that makes the application refuse client secrets.
import { Plus } from "lucide-react";
import { Dialog } from "radix-ui";
import { useActionState, useEffect } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormError, TextArea } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { GuardedSwitch } from "@/components/ui/guarded-switch";
import { errorsOf, toastResult, withFeedback } from "@/components/use-action-feedback";
import { formatDate, formatDateTime } from "@/components/format";
import type { ActionResult } from "@/lib/http/action";

export type ClientKeyRow = {
  id: string;
  name: string;
  keys: Array<{ kid: string; kty: string; crv?: string; alg?: string }>;
  jwksUri: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  expired: boolean;
};

type AddAction = (prev: ActionResult<null> | null, form: FormData) => Promise<ActionResult<null>>;

export function AddClientKey({ action }: { action: AddAction }) {
  return (
    <FormDialog
      title="Add a public key"
      trigger={
        <Button variant="secondary">
          <Plus aria-hidden className="size-4" /> Add public key
        </Button>
      }
    >
      {(close) => <AddClientKeyBody action={action} close={close} />}
    </FormDialog>
  );
}

function AddClientKeyBody({ action, close }: { action: AddAction; close: () => void }) {
  const [state, formAction, pending] = useActionState(withFeedback(action), null);
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  const { fieldErrors, values, formError } = errorsOf(state);
  return (
    <form action={formAction} className="mt-4 space-y-4" noValidate>
      <Dialog.Description className="text-sm text-slate-600">
        The service signs each token request with its private key (private_key_jwt); Grantry keeps only the public key. Paste a JWK, a JWK Set, or a PEM public
        key or certificate: RSA (2048 bits or more), EC P-256 or Ed25519. Or give the https URL where the service publishes its JWK Set: Grantry fetches it and
        fetches it again when the service rotates its keys.
      </Dialog.Description>
      <FormError message={formError} />
      <Field
        label="Name"
        name="name"
        required
        maxLength={100}
        defaultValue={values.name}
        error={fieldErrors.name}
        hint="Which service or deployment holds the private key."
      />
      <TextArea
        label="Public key"
        name="public_key"
        rows={8}
        spellCheck={false}
        className="font-mono"
        defaultValue={values.public_key}
        error={fieldErrors.public_key}
        hint='-----BEGIN PUBLIC KEY----- …, or {"kty": …}, or {"keys": […]}'
      />
      <Field
        label="Or a key set URL (jwks_uri)"
        name="jwks_uri"
        type="url"
        inputMode="url"
        spellCheck={false}
        defaultValue={values.jwks_uri}
        error={fieldErrors.jwks_uri}
        hint="https://service.example.com/.well-known/jwks.json — leave empty when you paste the key above."
      />
      <Field
        label="Expires on (optional)"
        name="expires_at"
        type="date"
        defaultValue={values.expires_at}
        error={fieldErrors.expires_at}
        hint="Leave empty for keys that never expire."
      />
      <div className="flex justify-end gap-2">
        <Dialog.Close asChild>
          <Button variant="secondary">Cancel</Button>
        </Dialog.Close>
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add public key"}
        </Button>
      </div>
    </form>
  );
}

const describeKey = (k: ClientKeyRow["keys"][number]) => `${k.kty === "OKP" ? k.crv : k.kty === "EC" ? `EC ${k.crv}` : "RSA"}${k.alg ? ` ${k.alg}` : ""}`;

export function ClientKeysTable({ keys, revoke }: { keys: ClientKeyRow[]; revoke: ((keyId: string) => Promise<ActionResult<null>>) | null }) {
  if (keys.length === 0)
    return <p className="py-4 text-sm text-slate-500">No public keys. Add one to authenticate with signed assertions instead of a secret.</p>;
  return (
    <div role="region" aria-label="Public keys" tabIndex={0} className="relative -mx-5 overflow-x-auto">
      <table className="table-cards w-full text-left text-sm">
        <caption className="sr-only">Public keys</caption>
        <thead className="border-b border-slate-200 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-5 py-2">
              Name
            </th>
            <th scope="col" className="px-5 py-2">
              Keys (kid)
            </th>
            <th scope="col" className="px-5 py-2">
              Expires
            </th>
            <th scope="col" className="px-5 py-2">
              Last used
            </th>
            {revoke ? (
              <th scope="col" className="px-5 py-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => (
            <tr key={k.id}>
              <td data-label="Name" className="px-5 py-3 text-slate-900 [overflow-wrap:anywhere]">
                {k.name}
                <span className="block text-xs whitespace-nowrap text-slate-600">Added {formatDate(k.createdAt)}</span>
              </td>
              <td data-label="Keys (kid)" className="px-5 py-3 text-slate-700">
                {k.jwksUri !== null ? (
                  <span className="text-xs text-slate-600">
                    Published at <code className="font-mono [overflow-wrap:anywhere]">{k.jwksUri}</code>
                  </span>
                ) : null}
                <ul className="space-y-1">
                  {k.keys.map((key) => (
                    <li key={key.kid}>
                      <span className="text-xs text-slate-600">{describeKey(key)}</span>{" "}
                      <code className="font-mono text-xs [overflow-wrap:anywhere]">{key.kid}</code>
                    </li>
                  ))}
                </ul>
              </td>
              <td data-label="Expires" className="px-5 py-3 whitespace-nowrap text-slate-600">
                <span className="inline-flex items-center gap-2">
                  {k.expiresAt ? formatDate(k.expiresAt) : "Never"}
                  {k.expired ? <Badge tone="danger">Expired</Badge> : null}
                </span>
              </td>
              <td data-label="Last used" className="px-5 py-3 whitespace-nowrap text-slate-600">
                {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Never"}
              </td>
              {revoke ? (
                <td className="px-5 py-3 text-right">
                  <ConfirmDialog
                    trigger={
                      <Button variant="secondary" size="sm" aria-label={`Revoke public key ${k.name}`}>
                        Revoke
                      </Button>
                    }
                    title={`Revoke the public key "${k.name}"?`}
                    description="The next token request signed with these keys fails with invalid_client. Tokens already issued stay valid until they expire."
                    confirmLabel="Revoke key"
                    onConfirm={async () => toastResult(await revoke(k.id))}
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

type OnlyProps = { assertionsOnly: boolean; hasKeys: boolean; action: ((on: boolean) => Promise<ActionResult<{ assertionsOnly: boolean }>>) | null };

/** Refusing client secrets: with no live public key the application could then get no tokens at all, so that asks first. */
export function AssertionsOnlySwitch({ assertionsOnly, hasKeys, action }: OnlyProps) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-4">
      <div className="space-y-1 text-sm">
        <p className="flex items-center gap-2 font-medium text-slate-900">
          Signed assertions only {assertionsOnly ? <Badge tone="success">On</Badge> : <Badge tone="neutral">Off</Badge>}
        </p>
        <p className="text-slate-600">
          {assertionsOnly
            ? "Client secrets are refused (invalid_client): this application authenticates only with JWTs signed by one of its private keys."
            : "Both client secrets and signed assertions authenticate this application. Turn this on once every service signs assertions."}
        </p>
      </div>
      {action ? (
        <GuardedSwitch
          label="Accept only signed assertions"
          checked={assertionsOnly}
          action={action}
          guard={hasKeys ? null : true}
          confirm={{
            title: "Refuse client secrets with no public key?",
            description: "This application has no live public key, so once secrets are refused it gets no tokens until a key is added.",
            confirmLabel: "Refuse secrets",
          }}
        />
      ) : null}
    </div>
  );
}
