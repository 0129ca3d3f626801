import { TokenTester } from "@/components/apis/token-tester";
import { verifySnippet } from "@/components/apis/verify-snippet";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/button";
import { listApplications } from "@/lib/domain/applications";
import { listGrants } from "@/lib/domain/grants";
import { roleAllows } from "@/lib/domain/members";
import { orNotFound } from "@/lib/http/not-found";
import { apiOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";
import { issuerFor, tokenUrlFor } from "@/lib/tenancy";
import { testTokenAction } from "../../../_actions/token-test";

export const metadata = { title: "Test" };

export default async function ApiTestPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const api = await orNotFound(apiOf(ctx.tenant.id, id));
  const grants = await listGrants(ctx.tenant.id, { apiId: id });
  // Authorized applications first; the newest others after them, to show why they are refused.
  const { items } = await listApplications(ctx.tenant.id, { perPage: 100 });
  const authorized = grants.map((g) => ({ id: g.application.id, name: g.application.name, authorized: true }));
  const others = items.filter((a) => !grants.some((g) => g.application.id === a.id)).map((a) => ({ id: a.id, name: a.name, authorized: false }));
  const apps = [...authorized, ...others];
  const snippet = (
    <Card
      title="Verify tokens in your API"
      description="With jose in Node.js: the signature against the tenant's published keys, then issuer, audience and type."
    >
      <CodeBlock code={verifySnippet(issuerFor(tenant), api.identifier, api.signingAlg)} label="verification snippet" language="JavaScript" />
    </Card>
  );
  if (!roleAllows(ctx.role, "admin")) {
    return (
      <div className="space-y-6">
        <p className="text-sm text-slate-500">Testing issues a real token with an application&apos;s secret, which needs the admin role.</p>
        {snippet}
      </div>
    );
  }
  return (
    <div className="space-y-6">
      {apps.length === 0 ? (
        <EmptyState title="No application to test with" action={<LinkButton href={`/dashboard/${tenant}/applications/new`}>Create application</LinkButton>}>
          Create an application and authorize it for {api.name} in the Machine to Machine Applications tab.
        </EmptyState>
      ) : (
        <TokenTester apps={apps} action={testTokenAction.bind(null, tenant, id)} tokenUrl={tokenUrlFor(tenant)} />
      )}
      {snippet}
    </div>
  );
}
