import { PageHeader } from "@/components/page-header";
import { requireTenantMember } from "@/lib/http/session";

export default async function SettingsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  return <PageHeader title="Settings" description={`Tenant ${ctx.tenant.name} (${ctx.tenant.slug})`} />;
}
