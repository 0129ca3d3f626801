"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PasskeyButton } from "./passkey-sign-in";
import { SecondFactorForm } from "./second-factor-form";

export function LoginForm({ email, notice, next }: { email?: string; notice?: string; next?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [ticket, setTicket] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    // signIn rejects when the request fails (offline, server gone): say so rather than stay "Signing in…".
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false }).catch(() => null);
    setPending(false);
    if (result === null) return setError("Could not reach Grantry. Check your connection and try again.");
    if (result?.error?.startsWith("SecondFactor:")) return setTicket(result.error.slice("SecondFactor:".length));
    if (!result || result.error) {
      setError(result?.error === "TooManyAttempts" ? "Too many sign-in attempts. Wait a few minutes and try again." : "Wrong email or password.");
      return;
    }
    router.push(next ?? "/dashboard");
    router.refresh();
  }

  if (ticket) return <SecondFactorForm ticket={ticket} onCancel={() => setTicket(null)} />;
  return (
    <form onSubmit={(event) => void onSubmit(event)} className="space-y-4">
      {notice ? (
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <Field label="Email" name="email" type="email" autoComplete="email" defaultValue={email} required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <PasskeyButton label="Use a passkey" />
    </form>
  );
}
