"use client";
import { ArrowRight, Play } from "lucide-react";
import Link from "next/link";
import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import type { TokenTestInput, TokenTestResult } from "@/app/dashboard/[tenant]/_actions/token-test";
import { TokenTestOutcome } from "@/components/apis/token-test-outcome";
import { ScopeChecklist, type ScopeOption } from "@/components/grants/scope-checklist";
import { Button, LinkButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError, SelectField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/http/action";
import { type Credentials, NewCredentials } from "./new-credentials";

export type FlowApi = { id: string; name: string; identifier: string; kind: "custom" | "management" };

export type FlowActions = {
  setGrant: (input: { application_id: string; api_id: string; scopes: string[] }) => Promise<ActionResult<{ id: string; scopes: string[] }>>;
  loadScopes: (apiId: string) => Promise<ActionResult<ScopeOption[]>>;
  testToken: (apiId: string, input: TokenTestInput) => Promise<ActionResult<TokenTestResult>>;
};

type Granted = { api: FlowApi; scopes: string[] };

/**
 * `apis`: the tenant's own first (the Grantry Management API is for scripts that manage the tenant);
 * `firstScopes`: the scopes of apis[0], so the first choice needs no round trip.
 */
export type FlowOptions = { apis: FlowApi[]; firstScopes: ScopeOption[]; newApiHref: string };

type Props = { credentials: Credentials; base: string; tokenUrl: string; options: FlowOptions; actions: FlowActions };

/**
 * After creation, on one page: the credentials (shown once), authorizing the
 * application for an API with its scopes, and a real token request with the
 * secret just shown. The secret lives only in this page's memory: it is sent
 * with the test request to the tenant's token endpoint and kept nowhere else.
 */
export function NewApplicationFlow({ credentials, base, tokenUrl, options, actions }: Props) {
  const [granted, setGranted] = useState<Granted | null>(null);
  const app = `${base}/${credentials.id}`;
  return (
    <div className="max-w-3xl space-y-5">
      <NewCredentials
        credentials={credentials}
        tokenUrl={tokenUrl}
        audience={granted ? { name: granted.api.name, identifier: granted.api.identifier } : null}
      />
      <AuthorizeStep credentials={credentials} options={options} actions={actions} granted={granted} onGranted={setGranted} />
      <TestStep credentials={credentials} granted={granted} actions={actions} tokenUrl={tokenUrl} />
      <div className="flex flex-wrap gap-2">
        {granted ? (
          <LinkButton href={`${app}/quickstart?${new URLSearchParams({ api: granted.api.id })}`}>
            Open the Quickstart <ArrowRight aria-hidden className="size-4" />
          </LinkButton>
        ) : null}
        <LinkButton href={`${app}/settings`} variant="secondary">
          Go to the application
        </LinkButton>
      </div>
    </div>
  );
}

function AuthorizeStep({
  credentials,
  options,
  actions,
  granted,
  onGranted,
}: {
  credentials: Credentials;
  options: FlowOptions;
  actions: FlowActions;
  granted: Granted | null;
  onGranted: (g: Granted) => void;
}) {
  const { apis, newApiHref } = options;
  const [apiId, setApiId] = useState(apis[0]?.id ?? "");
  const [scopes, setScopes] = useState<ScopeOption[] | null>(options.firstScopes);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const choosing = useRef(0);
  const api = apis.find((a) => a.id === apiId);
  const ownApis = apis.some((a) => a.kind !== "management");

  async function choose(id: string) {
    const ticket = ++choosing.current;
    setApiId(id);
    setScopes(null);
    setSelected([]);
    setError(null);
    const result = await actions.loadScopes(id);
    if (ticket !== choosing.current) return; // another API was chosen meanwhile
    if (result.ok) setScopes(result.data);
    else setError(result.message);
  }

  function authorize() {
    if (!api) return;
    startTransition(async () => {
      const result = await actions.setGrant({ application_id: credentials.id, api_id: api.id, scopes: selected });
      if (!result.ok) {
        setError(result.message);
        toast.error(result.message);
        return;
      }
      setError(null);
      toast.success(`${credentials.name} is authorized for ${api.name}`);
      onGranted({ api, scopes: result.data.scopes });
    });
  }

  if (granted) {
    return (
      <Card title="Authorized for an API">
        <p role="status" className="text-sm text-slate-700">
          {credentials.name} can get tokens for <strong>{granted.api.name}</strong> (
          <code className="font-mono text-xs break-all">{granted.api.identifier}</code>) with{" "}
          {granted.scopes.length ? (
            <>
              the scope{granted.scopes.length === 1 ? "" : "s"} <span className="font-mono text-xs">{granted.scopes.join(" ")}</span>
            </>
          ) : (
            "no scopes"
          )}
          . The <code className="font-mono text-xs">.env</code> block above now names it as the audience. Change it later in the APIServer tab.
        </p>
      </Card>
    );
  }

  return (
    <Card title="Authorize it for an API" description="A token is always for one API, its audience. Choose the API and the scopes its tokens carry.">
      <div className="space-y-4">
        {!ownApis ? (
          <p className="text-sm text-slate-600">
            This tenant has no API of its own yet:{" "}
            <Link href={newApiHref} className="font-medium text-brand-700 underline">
              create one
            </Link>{" "}
            (this page&apos;s secret is not shown again, so copy it first), or authorize the Grantry Management API for a script that manages this tenant.
          </p>
        ) : null}
        <SelectField label="API" name="api_id" value={apiId} onChange={(e) => void choose(e.target.value)} disabled={pending}>
          {apis.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} — {a.identifier}
            </option>
          ))}
        </SelectField>
        {scopes === null ? (
          error ? null : (
            <p role="status" className="text-sm text-slate-500">
              Loading scopes…
            </p>
          )
        ) : scopes.length === 0 ? (
          <p className="text-sm text-slate-500">This API has no scopes: its tokens carry an empty scope.</p>
        ) : (
          <ScopeChecklist scopes={scopes} selected={selected} onChange={setSelected} idPrefix={`flow-scope-${apiId}`} disabled={pending} />
        )}
        <FormError message={error} />
        <div className="flex justify-end">
          <Button onClick={authorize} disabled={pending || !api || scopes === null}>
            {pending ? "Authorizing…" : `Authorize for ${api?.name ?? "this API"}`}
          </Button>
        </div>
      </div>
    </Card>
  );
}

function TestStep({ credentials, granted, actions, tokenUrl }: { credentials: Credentials; granted: Granted | null; actions: FlowActions; tokenUrl: string }) {
  const [result, setResult] = useState<TokenTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function test() {
    if (!granted) return;
    startTransition(async () => {
      // The secret shown above, from this page's memory; the action sends it to the token endpoint and returns it masked.
      const res = await actions.testToken(granted.api.id, { applicationId: credentials.id, secret: credentials.secret, freshSecret: false, scope: "" });
      if (!res.ok) {
        setResult(null);
        setError(res.fieldErrors.secret ?? res.message);
        return;
      }
      setError(null);
      setResult(res.data);
    });
  }

  return (
    <Card
      title="Test it now"
      description={
        <>
          A real token request to <code className="font-mono text-xs break-all">{tokenUrl}</code> with the secret above, as your service will make it. The
          secret stays in this page; nothing is stored.
        </>
      }
    >
      <div className="space-y-4">
        {granted ? null : <p className="text-sm text-slate-500">Authorize the application for an API first: a token is always for one API.</p>}
        <FormError message={error} />
        <div className="flex justify-end">
          <Button onClick={test} disabled={!granted || pending}>
            <Play aria-hidden className="size-4" /> {pending ? "Requesting…" : "Test now"}
          </Button>
        </div>
        {result ? <TokenTestOutcome result={result} /> : null}
      </div>
    </Card>
  );
}
