import { ArrowRight, TriangleAlert } from "lucide-react";
import { LinkButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyField } from "@/components/ui/copy-field";
import { envValue } from "@/components/quickstart/escape";

export type Credentials = { id: string; name: string; clientId: string; secret: string };

export function SecretWarning({ children }: { children: React.ReactNode }) {
  return (
    <div role="note" className="flex gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div>{children}</div>
    </div>
  );
}

/** Shown once, right after creation: the only time the secret can be read. */
export function NewCredentials({ credentials, base, tokenUrl, audience }: { credentials: Credentials; base: string; tokenUrl: string; audience: string }) {
  const env = [
    `CLIENT_ID=${envValue(credentials.clientId)}`,
    `CLIENT_SECRET=${envValue(credentials.secret)}`,
    `TOKEN_URL=${envValue(tokenUrl)}`,
    `# The identifier of the API to call (here the Grantry Management API); authorize it in the APIServer tab.`,
    `AUDIENCE=${envValue(audience)}`,
  ].join("\n");
  const app = `${base}/${credentials.id}`;
  return (
    <div className="max-w-3xl space-y-5">
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
            <CodeBlock code={env} label=".env block" language=".env" />
          </div>
        </div>
      </Card>
      <div className="flex flex-wrap gap-2">
        <LinkButton href={`${app}/apis`}>
          Next: authorize an API <ArrowRight aria-hidden className="size-4" />
        </LinkButton>
        <LinkButton href={`${app}/settings`} variant="secondary">
          Go to the application
        </LinkButton>
      </div>
    </div>
  );
}
