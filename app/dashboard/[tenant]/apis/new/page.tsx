import Link from "next/link";
import { ApiForm } from "@/components/apis/api-form";
import { PageHeader } from "@/components/page-header";
import { requireTenantMember } from "@/lib/http/session";
import { createApiAction } from "../../_actions/apis";

export const metadata = { title: "Create API" };

export default async function NewApiPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await requireTenantMember(tenant, "admin");
  return (
    <>
      <PageHeader eyebrow={<Link href={`/dashboard/${tenant}/apis`} className="hover:underline">← APIs</Link>} title="Create an API" description="Register a resource server: applications request tokens with its identifier as the audience." />
      <ApiForm mode="create" action={createApiAction.bind(null, tenant)} redirectBase={`/dashboard/${tenant}/apis`} />
    </>
  );
}
