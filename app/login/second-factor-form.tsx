"use client";
// The second sign-in step: a code from the authenticator app, or one of the
// recovery codes. The ticket from the password step names the user.
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PasskeyButton } from "./passkey-sign-in";

/** The second factors the ticket offers (its payload is readable; its signature is checked by the server). */
function methodsOf(ticket: string): string[] {
  try {
    const payload = JSON.parse(atob((ticket.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { methods?: unknown };
    return Array.isArray(payload.methods) ? payload.methods.filter((m): m is string => typeof m === "string") : [];
  } catch {
    return [];
  }
}

export function SecondFactorForm({ ticket, onCancel }: { ticket: string; onCancel: () => void }) {
  const router = useRouter();
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const methods = methodsOf(ticket);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("code") ?? "");
    setPending(true);
    setError(null);
    // signIn rejects when the request fails (offline, server gone): say so rather than stay "Checking…".
    const result = await signIn("second-factor", { ticket, ...(recovery ? { recoveryCode: value } : { code: value }), redirect: false }).catch(() => null);
    setPending(false);
    if (result === null) return setError("Could not reach Grantry. Check your connection and try again.");
    if (!result || result.error) {
      setError(
        result?.error === "TooManyCodes"
          ? "Too many codes tried. Wait a few minutes and sign in again."
          : recovery
            ? "That recovery code is not valid or was already used."
            : "That code is not valid. Enter the current code from your app.",
      );
      return;
    }
    router.push("/dashboard");
    router.refresh();
  }

  if (!methods.includes("totp")) {
    return (
      <div className="space-y-4">
        <h2 className="text-base font-semibold text-slate-900">Two-factor sign-in</h2>
        <PasskeyButton ticket={ticket} label="Use a passkey" />
        <button type="button" className="text-sm text-slate-600 hover:underline" onClick={onCancel}>
          Start over
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={(event) => void onSubmit(event)} className="space-y-4" aria-labelledby="second-factor-heading">
      <h2 id="second-factor-heading" className="text-base font-semibold text-slate-900">
        Two-factor sign-in
      </h2>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {recovery ? (
        <Field
          key="recovery"
          label="Recovery code"
          name="code"
          autoComplete="off"
          spellCheck={false}
          required
          autoFocus
          hint="One of the ten codes you saved; each works once."
        />
      ) : (
        <Field
          key="totp"
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          required
          autoFocus
          hint="The 6-digit code from your authenticator app."
        />
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Checking…" : "Verify"}
      </Button>
      {methods.includes("passkey") ? <PasskeyButton ticket={ticket} label="Use a passkey" /> : null}
      <div className="flex justify-between text-sm">
        <button
          type="button"
          className="font-medium text-brand-700 hover:underline"
          onClick={() => {
            setRecovery(!recovery);
            setError(null);
          }}
        >
          {recovery ? "Use your authenticator app" : "Use a recovery code"}
        </button>
        <button type="button" className="text-slate-600 hover:underline" onClick={onCancel}>
          Start over
        </button>
      </div>
    </form>
  );
}
