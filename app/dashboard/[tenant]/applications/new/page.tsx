import Link from "next/link";
import { CreateApplicationForm } from "@/components/applications/create-application-form";
import { PageHeader } from "@/components/page-header";
import { ReadOnlyNotice } from "@/components/read-only-notice";
import { roleAllows } from "@/lib/domain/members";
import { requireTenantMember } from "@/lib/http/session";
import { issuerFor, tokenUrlFor } from "@/lib/tenancy";
import { createApplicationAction } from "../../_actions/applications";

export const metadata = { title: "Create application" };

export default async function NewApplicationPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  if (!roleAllows(ctx.role, "admin")) return <ReadOnlyNotice what="create applications" />;
  const base = `/dashboard/${tenant}/applications`;
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
      <CreateApplicationForm action={createApplicationAction.bind(null, tenant)} base={base} tokenUrl={tokenUrlFor(tenant)} audience={issuerFor(tenant)} />
    </>
  );
}
