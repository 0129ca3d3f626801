import { KeySquare } from "lucide-react";
import { Quickstart } from "@/components/quickstart/quickstart";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { listApiSummaries } from "@/lib/domain/apis";
import { listGrants } from "@/lib/domain/grants";
import { orNotFound } from "@/lib/http/not-found";
import { applicationOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";
import { issuerFor, tokenUrlFor } from "@/lib/tenancy";

export const metadata = { title: "Quickstart" };

/** Where a token for this API is used: the Management API's users, or the API's own URL. */
function callUrl(api: { kind: string; identifier: string }, issuer: string): string {
  if (api.kind === "management") return `${issuer}/api/v1/users`;
  return /^https?:\/\//.test(api.identifier) ? api.identifier : "https://your-api.example.com/resource";
}

type Props = { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<{ api?: string | string[] }> };

/** `?api=`: the API to show first, as the create flow links here after authorizing one. */
export default async function QuickstartPage({ params, searchParams }: Props) {
  const { tenant, id } = await params;
  const { api: initialApiId } = await searchParams;
  const ctx = await requireTenantMember(tenant);
  const app = await orNotFound(applicationOf(ctx.tenant.id, id));
  const [apis, grants] = await Promise.all([listApiSummaries(ctx.tenant.id), listGrants(ctx.tenant.id, { applicationId: id })]);
  const issuer = issuerFor(tenant);
  // The tenant's own APIs before the Grantry Management API: they are what applications are usually made for.
  const granted = [...apis.filter((api) => api.kind !== "management"), ...apis.filter((api) => api.kind === "management")]
    .filter((api) => grants.some((g) => g.api.id === api.id))
    .map((api) => ({ id: api.id, name: api.name, audience: api.identifier, callUrl: callUrl(api, issuer), lifetime: api.tokenLifetime }));
  if (granted.length === 0) {
    return (
      <EmptyState
        icon={<KeySquare aria-hidden className="size-6" />}
        title="Authorize an API first"
        action={<LinkButton href={`/dashboard/${tenant}/applications/${id}/apis`}>Open the APIServer tab</LinkButton>}
      >
        A token is always for one API (its audience). Authorize this application for an API in the APIServer tab, and the quickstart fills in everything but the
        secret.
      </EmptyState>
    );
  }
  return (
    <Quickstart
      clientId={app.clientId}
      tokenUrl={tokenUrlFor(tenant)}
      apis={granted}
      initialApiId={typeof initialApiId === "string" ? initialApiId : undefined}
      credentialsUrl={`/dashboard/${tenant}/applications/${id}/credentials`}
    />
  );
}
