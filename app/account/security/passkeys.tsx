"use client";
// The account's passkeys: add one (the browser's authenticator creates it),
// remove one. Both ask for the account's password first (reauth.ts).
import { startRegistration } from "@simplewebauthn/browser";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { toastResult } from "@/components/use-action-feedback";
import { passkeyRegistrationOptionsAction, registerPasskeyAction, removePasskeyAction } from "./actions";

type Passkey = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

export function Passkeys({ passkeys }: { passkeys: Passkey[] }) {
  const [pending, startTransition] = useTransition();
  const [addErrors, setAddErrors] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | undefined>();

  function add(form: FormData) {
    startTransition(async () => {
      const options = await passkeyRegistrationOptionsAction(form);
      setAddErrors(options.ok ? {} : options.fieldErrors);
      if (!toastResult(options) || !options.ok) return;
      let response;
      try {
        response = await startRegistration({ optionsJSON: options.data });
      } catch {
        toast.error("The passkey was not created. Try again.");
        return;
      }
      const result = await registerPasskeyAction(response, form.get("name"));
      setAddErrors(result.ok ? {} : result.fieldErrors);
      toastResult(result);
    });
  }

  function remove(id: string, form: FormData) {
    startTransition(async () => {
      const result = await removePasskeyAction(id, form);
      setRemoveError(result.ok ? undefined : (result.fieldErrors.password ?? result.message));
      if (toastResult(result) && result.ok) setRemoving(null);
    });
  }

  return (
    <div className="space-y-4">
      {passkeys.length ? (
        <ul aria-label="Passkeys" className="divide-y divide-slate-100 text-sm">
          {passkeys.map((p) => (
            <li key={p.id} className="space-y-2 py-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="min-w-0 break-words">
                  <strong>{p.name}</strong>{" "}
                  <span className="text-slate-500">
                    added {p.createdAt.slice(0, 10)}
                    {p.lastUsedAt ? `, last used ${p.lastUsedAt.slice(0, 10)}` : ""}
                  </span>
                </span>
                {removing === p.id ? null : (
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-label={`Remove passkey ${p.name}`}
                    disabled={pending}
                    onClick={() => {
                      setRemoving(p.id);
                      setRemoveError(undefined);
                    }}
                  >
                    Remove
                  </Button>
                )}
              </div>
              {removing === p.id ? (
                <form action={(form) => remove(p.id, form)} className="flex flex-wrap items-end gap-3" aria-label={`Confirm removing passkey ${p.name}`}>
                  {/* autoFocus: the field appears because the user asked to remove, so focus follows them there. */}
                  <Field
                    label="Password to confirm removal"
                    name="password"
                    id={`field-remove-${p.id}`}
                    type="password"
                    autoComplete="current-password"
                    required
                    autoFocus
                    error={removeError}
                    className="min-w-56 flex-1"
                  />
                  <Button type="submit" size="sm" variant="danger" disabled={pending}>
                    Remove {p.name}
                  </Button>
                  <Button type="button" size="sm" variant="secondary" onClick={() => setRemoving(null)}>
                    Cancel
                  </Button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No passkeys yet.</p>
      )}
      <form action={add} className="flex flex-wrap items-end gap-3">
        <Field label="Passkey name" name="name" maxLength={100} placeholder="e.g. Work laptop" className="min-w-48 flex-1" error={addErrors.name} />
        <Field
          label="Password to confirm the new passkey"
          name="password"
          id="field-passkey-password"
          type="password"
          autoComplete="current-password"
          required
          className="min-w-48 flex-1"
          error={addErrors.password}
        />
        <Button type="submit" disabled={pending}>
          Add a passkey
        </Button>
      </form>
    </div>
  );
}
