"use client";
// Enrolment: show the QR code and the manual key, confirm with a first code,
// then show the ten recovery codes once. And turning it off again.
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { errorsOf, withFeedback } from "@/components/use-action-feedback";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { Field } from "@/components/ui/field";
import { type Enrolment, confirmTotpAction, disableTwoFactorAction, regenerateRecoveryCodesAction, startTotpAction } from "./actions";

export function TotpSetup() {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [started, start, starting] = useActionState(withFeedback(startTotpAction, setEnrolment), null);
  const [state, confirm, confirming] = useActionState(withFeedback(confirmTotpAction, setCodes), null);
  const { fieldErrors } = errorsOf(state);

  if (codes) return <RecoveryCodes codes={codes} />;
  if (!enrolment) {
    return (
      <form action={start} className="flex flex-wrap items-end gap-3">
        <Field
          label="Password to confirm set-up"
          name="password"
          id="field-totp-password"
          type="password"
          autoComplete="current-password"
          required
          error={errorsOf(started).fieldErrors.password}
          className="min-w-56 flex-1"
        />
        <Button type="submit" disabled={starting}>
          Set up an authenticator app
        </Button>
      </form>
    );
  }
  return (
    <form action={confirm} className="space-y-4">
      <p className="text-sm text-slate-700">Scan this QR code with your authenticator app, or enter the key by hand. Then enter the code it shows.</p>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server */}
      <img src={enrolment.qr} width={200} height={200} alt="QR code to add Grantry to your authenticator app" />
      <CopyField label="Manual key" value={enrolment.secret} secret />
      <Field label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" required error={fieldErrors.code} />
      <Button type="submit" disabled={confirming}>
        Turn on two-factor sign-in
      </Button>
    </form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const router = useRouter();
  return (
    <div className="space-y-3">
      <h3 className="text-sm font-semibold text-slate-900">Your recovery codes</h3>
      <p className="text-sm text-slate-700">Save these ten codes somewhere safe. Each signs you in once if you lose your app. They are shown only now.</p>
      <ul aria-label="Recovery codes" className="grid grid-cols-2 gap-2 font-mono text-sm">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <CopyField label="All recovery codes" value={codes.join(" ")} secret />
      <Button variant="secondary" onClick={() => router.refresh()}>
        I have saved them
      </Button>
    </div>
  );
}

export function DisableTwoFactor() {
  const [state, disable, pending] = useActionState(withFeedback(disableTwoFactorAction), null);
  const { fieldErrors } = errorsOf(state);
  return (
    <form action={disable} className="space-y-3 border-t border-slate-100 pt-4">
      <h3 className="text-sm font-semibold text-slate-900">Turn off two-factor sign-in</h3>
      <Field
        label="Current code"
        name="code"
        id="field-disable-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        error={fieldErrors.code}
        hint="Or leave empty and enter your password."
      />
      <Field label="Password" name="password" id="field-disable-password" type="password" autoComplete="current-password" error={fieldErrors.password} />
      <Button type="submit" variant="danger" disabled={pending}>
        Turn off
      </Button>
    </form>
  );
}

export function RegenerateRecoveryCodes() {
  const [codes, setCodes] = useState<string[] | null>(null);
  const [state, regenerate, pending] = useActionState(withFeedback(regenerateRecoveryCodesAction, setCodes), null);
  const { fieldErrors } = errorsOf(state);
  if (codes) return <RecoveryCodes codes={codes} />;
  return (
    <form action={regenerate} className="space-y-3 border-t border-slate-100 pt-4">
      <h3 className="text-sm font-semibold text-slate-900">New recovery codes</h3>
      <Field
        label="Code from your app"
        name="code"
        id="field-regenerate-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        error={fieldErrors.code}
        hint="Replaces all ten codes; the old ones stop working."
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        Make new recovery codes
      </Button>
    </form>
  );
}
