import { CircleCheck, CircleX } from "lucide-react";
import { SecretWarning } from "@/components/applications/new-credentials";
import { describeOAuthError } from "@/components/oauth-errors";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyField } from "@/components/ui/copy-field";
import type { TokenTestResult } from "@/app/dashboard/[tenant]/_actions/token-test";

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** The token endpoint's answer: decoded on success, explained in words on failure. */
export function TokenTestOutcome({ result }: { result: TokenTestResult }) {
  const code = typeof result.body?.error === "string" ? result.body.error : null;
  const explanation = code ? describeOAuthError(code) : null;
  return (
    <div className="space-y-6" aria-live="polite">
      {result.freshSecret ? (
        <Card title="Fresh secret">
          <div className="space-y-3">
            <SecretWarning>This secret was added to the application for the test and expires in one hour. It is shown only now.</SecretWarning>
            <CopyField label="Fresh client secret" value={result.freshSecret} secret />
          </div>
        </Card>
      ) : null}
      {explanation ? (
        <div role="alert" className="flex gap-3 rounded-xl border border-red-200 bg-red-50 px-5 py-4 text-sm">
          <CircleX aria-hidden className="mt-0.5 size-5 shrink-0 text-red-600" />
          <div className="space-y-1">
            <p className="font-semibold text-red-700">
              {explanation.title} <Badge tone="danger">{code}</Badge> <span className="font-normal text-slate-500">HTTP {result.status}</span>
            </p>
            <p className="text-slate-700">{explanation.detail}</p>
            {typeof result.body?.error_description === "string" ? <p className="text-slate-500">Server said: “{result.body.error_description}”</p> : null}
          </div>
        </div>
      ) : result.claims ? (
        <div role="status" className="flex items-center gap-3 rounded-xl border border-emerald-200 bg-emerald-50 px-5 py-4 text-sm text-emerald-700">
          <CircleCheck aria-hidden className="size-5 shrink-0" />
          <span>
            <strong>Token issued</strong> (HTTP {result.status}).{" "}
            {result.verified?.ok
              ? "Its signature verifies against the tenant's JWKS."
              : `Verification against the JWKS failed: ${result.verified && !result.verified.ok ? result.verified.reason : "not checked"}.`}
          </span>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Request">
          <CodeBlock code={json(result.request)} label="token request body" language="json" />
        </Card>
        <Card title="Response">
          <CodeBlock code={result.body ? json(result.body) : result.raw} label="token response" language="json" />
        </Card>
        {result.header ? (
          <Card title="Decoded header">
            <CodeBlock code={json(result.header)} label="decoded header" language="json" />
          </Card>
        ) : null}
        {result.claims ? (
          <Card title="Decoded claims">
            <CodeBlock code={json(result.claims)} label="decoded claims" language="json" />
          </Card>
        ) : null}
      </div>
    </div>
  );
}
