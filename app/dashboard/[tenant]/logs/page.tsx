import { PageHeader } from "@/components/page-header";
import { listAuditEvents } from "@/lib/domain/audit";
import { requireTenantMember } from "@/lib/http/session";

export default async function LogsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  const { items } = await listAuditEvents({ tenantId: ctx.tenant.id });
  return (
    <>
      <PageHeader title="Logs" description="The audit trail of this tenant" />
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {items.map((e) => (
          <li key={e.id} className="px-4 py-3 text-sm">
            <time className="text-slate-500">{e.createdAt.toISOString()}</time> <span className="font-medium">{e.action}</span> by {e.actorLabel || e.actorId}
          </li>
        ))}
      </ul>
    </>
  );
}
