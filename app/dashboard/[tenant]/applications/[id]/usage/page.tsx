import Link from "next/link";
import { TokenLogTable } from "@/components/logs/token-log-table";
import { CachingWarning } from "@/components/usage/caching-alert";
import { UsagePanel } from "@/components/usage/usage-panel";
import { cachingAlerts } from "@/lib/domain/caching";
import { listTokenLog } from "@/lib/domain/token-log";
import { tokenUsage } from "@/lib/domain/usage";
import { orNotFound } from "@/lib/http/not-found";
import { applicationOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";

export const metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const app = await orNotFound(applicationOf(ctx.tenant.id, id));
  const [usage, alerts, recent] = await Promise.all([
    tokenUsage(ctx.tenant.id, { applicationId: app.id }),
    cachingAlerts(ctx.tenant.id, [app.id]),
    listTokenLog(ctx.tenant.id, { application_id: app.id }, { page: 1, perPage: 10 }),
  ]);
  const allRequests = `/dashboard/${tenant}/token-requests?application_id=${app.id}`;
  return (
    <div className="space-y-6">
      <CachingWarning alerts={alerts} appName={app.name} quickstartHref={`/dashboard/${tenant}/applications/${app.id}/quickstart#caching`} />
      <UsagePanel usage={usage} />
      <section aria-labelledby="recent-token-requests" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="recent-token-requests" className="text-base font-semibold text-slate-900">
            Recent token requests
          </h2>
          {recent.total > 0 ? (
            <Link href={allRequests} className="text-sm font-medium text-brand-700 hover:underline">
              All {recent.total.toLocaleString("en")} requests, with filters
            </Link>
          ) : null}
        </div>
        {recent.total > 0 ? (
          <TokenLogTable rows={recent.items} tenant={tenant} showApplication={false} />
        ) : (
          <p className="text-sm text-slate-600">No token requests from this application yet: failed authentications with its client_id appear here too.</p>
        )}
      </section>
    </div>
  );
}
