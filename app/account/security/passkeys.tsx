"use client";
// The account's passkeys: add one (the browser's authenticator creates it), remove one.
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
  const [nameError, setNameError] = useState<string | undefined>();

  function add(form: FormData) {
    startTransition(async () => {
      const options = await passkeyRegistrationOptionsAction();
      if (!toastResult(options) || !options.ok) return;
      let response;
      try {
        response = await startRegistration({ optionsJSON: options.data });
      } catch {
        toast.error("The passkey was not created. Try again.");
        return;
      }
      const result = await registerPasskeyAction(response, form.get("name"));
      setNameError(result.ok ? undefined : result.fieldErrors.name);
      toastResult(result);
    });
  }

  return (
    <div className="space-y-4">
      {passkeys.length ? (
        <ul aria-label="Passkeys" className="divide-y divide-slate-100 text-sm">
          {passkeys.map((p) => (
            <li key={p.id} className="flex items-center justify-between py-2">
              <span>
                <strong>{p.name}</strong> <span className="text-slate-500">added {p.createdAt.slice(0, 10)}{p.lastUsedAt ? `, last used ${p.lastUsedAt.slice(0, 10)}` : ""}</span>
              </span>
              <Button size="sm" variant="secondary" aria-label={`Remove passkey ${p.name}`} disabled={pending} onClick={() => startTransition(async () => void toastResult(await removePasskeyAction(p.id)))}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No passkeys yet.</p>
      )}
      <form action={add} className="flex items-end gap-3">
        <Field label="Passkey name" name="name" maxLength={100} placeholder="e.g. Work laptop" className="flex-1" error={nameError} />
        <Button type="submit" disabled={pending}>
          Add a passkey
        </Button>
      </form>
    </div>
  );
}
