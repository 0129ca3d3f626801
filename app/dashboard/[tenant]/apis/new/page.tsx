import Link from "next/link";
import { ApiForm } from "@/components/apis/api-form";
import { PageHeader } from "@/components/page-header";
import { ReadOnlyNotice } from "@/components/read-only-notice";
import { roleAllows } from "@/lib/domain/members";
import { requireTenantMember } from "@/lib/http/session";
import { createApiAction } from "../../_actions/apis";

export const metadata = { title: "Create API" };

export default async function NewApiPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  if (!roleAllows(ctx.role, "admin")) return <ReadOnlyNotice what="create APIs" />;
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/dashboard/${tenant}/apis`} className="hover:underline">
            ← APIs
          </Link>
        }
        title="Create an API"
        description="Register a resource server: applications request tokens with its identifier as the audience."
      />
      <ApiForm mode="create" action={createApiAction.bind(null, tenant)} redirectBase={`/dashboard/${tenant}/apis`} />
    </>
  );
}
