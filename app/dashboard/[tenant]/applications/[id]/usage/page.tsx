import { CachingWarning } from "@/components/usage/caching-alert";
import { UsagePanel } from "@/components/usage/usage-panel";
import { cachingAlerts } from "@/lib/domain/caching";
import { tokenUsage } from "@/lib/domain/usage";
import { orNotFound } from "@/lib/http/not-found";
import { applicationOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";

export const metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const app = await orNotFound(applicationOf(ctx.tenant.id, id));
  const [usage, alerts] = await Promise.all([tokenUsage(ctx.tenant.id, { applicationId: app.id }), cachingAlerts(ctx.tenant.id, [app.id])]);
  return (
    <div className="space-y-6">
      <CachingWarning alerts={alerts} appName={app.name} quickstartHref={`/dashboard/${tenant}/applications/${app.id}/quickstart#caching`} />
      <UsagePanel usage={usage} />
    </div>
  );
}
