import Link from "next/link";
import { CreateApplicationForm } from "@/components/applications/create-application-form";
import { PageHeader } from "@/components/page-header";
import { ReadOnlyNotice } from "@/components/read-only-notice";
import { listApiSummaries, scopesOfApis } from "@/lib/domain/apis";
import { roleAllows } from "@/lib/domain/members";
import { requireTenantMember } from "@/lib/http/session";
import { tokenUrlFor } from "@/lib/tenancy";
import { createApplicationAction } from "../../_actions/applications";
import { grantableScopesAction, setGrantAction } from "../../_actions/grants";
import { testTokenAction } from "../../_actions/token-test";

export const metadata = { title: "Create application" };

export default async function NewApplicationPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  if (!roleAllows(ctx.role, "admin")) return <ReadOnlyNotice what="create applications" />;
  const base = `/dashboard/${tenant}/applications`;
  // The tenant's own APIs first: a new application is usually made for one of them.
  const summaries = await listApiSummaries(ctx.tenant.id);
  const apis = [...summaries.filter((a) => a.kind !== "management"), ...summaries.filter((a) => a.kind === "management")].map((a) => ({
    id: a.id,
    name: a.name,
    identifier: a.identifier,
    kind: a.kind,
  }));
  const firstScopes = apis[0] ? ((await scopesOfApis(ctx.tenant.id, [apis[0].id])).get(apis[0].id) ?? []) : [];
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={base} className="hover:underline">
            ← Applications
          </Link>
        }
        title="Create a machine-to-machine application"
        description="A backend service, script or daemon that gets access tokens with the client credentials grant."
      />
      <CreateApplicationForm
        action={createApplicationAction.bind(null, tenant)}
        base={base}
        tokenUrl={tokenUrlFor(tenant)}
        flow={{
          apis,
          firstScopes: firstScopes.map((s) => ({ name: s.name, description: s.description })),
          newApiHref: `/dashboard/${tenant}/apis/new`,
        }}
        flowActions={{
          setGrant: setGrantAction.bind(null, tenant),
          loadScopes: grantableScopesAction.bind(null, tenant),
          testToken: testTokenAction.bind(null, tenant),
        }}
      />
    </>
  );
}
