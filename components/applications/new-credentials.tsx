import { TriangleAlert } from "lucide-react";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyField } from "@/components/ui/copy-field";
import { envValue } from "@/components/quickstart/escape";

export type Credentials = { id: string; name: string; clientId: string; secret: string };

/** The API the new application was authorized for in the create flow, if any. */
export type EnvAudience = { name: string; identifier: string } | null;

export function SecretWarning({ children }: { children: React.ReactNode }) {
  return (
    <div role="note" className="flex gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div>{children}</div>
    </div>
  );
}

/** A value inside a comment line: a line break in it would end the comment. */
const commentSafe = (value: string) => value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");

/**
 * The `.env` block: its values work verbatim. AUDIENCE is the API the
 * application was just authorized for; without one, no token request can
 * succeed yet, and the block says so instead of naming an API it would be
 * refused for.
 */
export function envBlock(credentials: Credentials, tokenUrl: string, audience: EnvAudience): string {
  return [
    `CLIENT_ID=${envValue(credentials.clientId)}`,
    `CLIENT_SECRET=${envValue(credentials.secret)}`,
    `TOKEN_URL=${envValue(tokenUrl)}`,
    ...(audience
      ? [`# The identifier of ${commentSafe(audience.name)}, which this application is authorized for.`, `AUDIENCE=${envValue(audience.identifier)}`]
      : [
          "# Not authorized for any API yet: every token request would be refused (access_denied).",
          "# Authorize it for an API, then set AUDIENCE to that API's identifier.",
          "# AUDIENCE=",
        ]),
  ].join("\n");
}

/** Shown once, right after creation: the only time the secret can be read. */
export function NewCredentials({ credentials, tokenUrl, audience }: { credentials: Credentials; tokenUrl: string; audience: EnvAudience }) {
  return (
    <Card title={`${credentials.name} is ready`} description="Copy its credentials into your service's configuration.">
      <div className="space-y-4">
        <SecretWarning>
          <strong>Copy the client secret now.</strong> It is shown only this once: Grantry stores just a hash of it. If you lose it, add a new secret in the
          Credentials tab.
        </SecretWarning>
        <CopyField label="Client ID" value={credentials.clientId} />
        <CopyField label="Client secret" value={credentials.secret} secret />
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">.env</h3>
          <CodeBlock code={envBlock(credentials, tokenUrl, audience)} label=".env block" language=".env" />
        </div>
      </div>
    </Card>
  );
}
