import { UsagePanel } from "@/components/usage/usage-panel";
import { tokenUsage } from "@/lib/domain/usage";
import { orNotFound } from "@/lib/http/not-found";
import { applicationOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";

export const metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const app = await orNotFound(applicationOf(ctx.tenant.id, id));
  return <UsagePanel usage={await tokenUsage(ctx.tenant.id, { applicationId: app.id })} />;
}
