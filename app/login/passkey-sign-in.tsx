"use client";
// Asks the browser's authenticator for a passkey assertion and hands it to a
// next-auth provider: "passkey" (no password) or "second-factor" (with the ticket).
import { startAuthentication } from "@simplewebauthn/browser";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { passkeySignInOptionsAction } from "./passkey-actions";

/** Runs the ceremony and signs in; the error to show, or null on success. */
export async function signInWithPasskey(ticket?: string): Promise<string | null> {
  const options = await passkeySignInOptionsAction();
  if (!options.ok) return options.message;
  let assertion;
  try {
    assertion = await startAuthentication({ optionsJSON: options.data });
  } catch {
    return "The passkey was not used. Try again.";
  }
  const result = ticket
    ? await signIn("second-factor", { ticket, passkey: JSON.stringify(assertion), redirect: false })
    : await signIn("passkey", { response: JSON.stringify(assertion), redirect: false });
  return !result || result.error
    ? result?.error === "TooManyCodes"
      ? "Too many attempts. Wait a few minutes and sign in again."
      : "That passkey is not registered to this account."
    : null;
}

/** "Use a passkey" to sign in without a password, or "Use a passkey" in the second step when `ticket` is given. */
export function PasskeyButton({ ticket, label }: { ticket?: string; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function run() {
    setPending(true);
    setError(null);
    let problem: string | null;
    try {
      problem = await signInWithPasskey(ticket);
    } catch {
      // A request that failed (offline, server down) threw past every await: without
      // this the button stayed disabled and the page silent.
      problem = "Could not reach the server. Check your connection and try again.";
    } finally {
      setPending(false);
    }
    if (problem) return setError(problem);
    router.push("/dashboard");
    router.refresh();
  }
  return (
    <div className="space-y-2">
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <Button variant="secondary" className="w-full" onClick={() => void run()} disabled={pending}>
        {label}
      </Button>
    </div>
  );
}
