"use client";
import { Play } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField } from "@/components/ui/field";
import type { TokenTestInput, TokenTestResult } from "@/app/dashboard/[tenant]/_actions/token-test";
import type { ActionResult } from "@/lib/http/action";
import { TokenTestOutcome } from "./token-test-outcome";

export type TesterApp = { id: string; name: string; authorized: boolean };
type Props = { apps: TesterApp[]; action: (input: TokenTestInput) => Promise<ActionResult<TokenTestResult>>; tokenUrl: string };

export function TokenTester({ apps, action, tokenUrl }: Props) {
  const [applicationId, setApplicationId] = useState(apps.find((a) => a.authorized)?.id ?? apps[0]?.id ?? "");
  const [mode, setMode] = useState<"paste" | "fresh">("paste");
  const [secret, setSecret] = useState("");
  const [scope, setScope] = useState("");
  const [result, setResult] = useState<TokenTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const radioName = useId();
  const authorized = apps.filter((a) => a.authorized);
  const others = apps.filter((a) => !a.authorized);
  const selected = apps.find((a) => a.id === applicationId);
  // No test secret for an application the token endpoint would refuse anyway (the action refuses it too).
  const canMint = selected?.authorized === true;
  const fresh = mode === "fresh" && canMint;
  const freshHintId = useId();

  function run(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const res = await action({ applicationId, secret: fresh ? "" : secret, freshSecret: fresh, scope });
      if (!res.ok) {
        setError(res.fieldErrors.secret ?? res.message);
        setResult(null);
        toast.error(res.message);
        return;
      }
      setError(null);
      setResult(res.data);
      if (res.data.freshSecret) toast.success("A fresh secret was added to the application (expires in one hour)");
    });
  }

  return (
    <div className="space-y-6">
      <Card
        title="Request a token"
        description={
          <>
            A real request to <code className="font-mono text-xs">{tokenUrl}</code>, as your service would make it.
          </>
        }
      >
        <form onSubmit={run} className="space-y-4">
          <SelectField label="Application" name="applicationId" value={applicationId} onChange={(e) => setApplicationId(e.target.value)}>
            {authorized.length ? (
              <optgroup label="Authorized for this API">
                {authorized.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {others.length ? (
              <optgroup label="Not authorized">
                {others.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} (not authorized)
                  </option>
                ))}
              </optgroup>
            ) : null}
          </SelectField>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-700">Client secret</legend>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="radio" name={radioName} checked={!fresh} onChange={() => setMode("paste")} className="accent-[#2753e0]" /> Paste a secret of this
              application
            </label>
            <label className={`flex items-center gap-2 text-sm ${canMint ? "text-slate-700" : "text-slate-500"}`}>
              <input
                type="radio"
                name={radioName}
                checked={fresh}
                disabled={!canMint}
                aria-describedby={canMint ? undefined : freshHintId}
                onChange={() => setMode("fresh")}
                className="accent-[#2753e0]"
              />{" "}
              Create a fresh secret for this test (expires in one hour)
            </label>
            {selected && !canMint ? (
              <p id={freshHintId} className="ml-6 text-xs text-slate-600">
                Not for {selected.name}: it is not authorized for this API, so its token requests get access_denied and a test secret would only add a
                credential. Authorize it in the Machine to Machine Applications tab first.
              </p>
            ) : null}
            {fresh && error ? (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                {error}
              </p>
            ) : null}
          </fieldset>
          {!fresh ? (
            <Field
              label="Secret"
              name="secret"
              type="password"
              autoComplete="off"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              error={error ?? undefined}
              placeholder="grantry_…"
            />
          ) : null}
          <Field
            label="Scope (optional)"
            name="scope"
            value={scope}
            onChange={(e) => setScope(e.target.value)}
            placeholder="Leave empty for every granted scope"
          />
          <div className="flex justify-end">
            <Button type="submit" disabled={pending || !applicationId}>
              <Play aria-hidden className="size-4" /> {pending ? "Requesting…" : "Request token"}
            </Button>
          </div>
        </form>
      </Card>
      {result ? <TokenTestOutcome result={result} /> : null}
    </div>
  );
}
