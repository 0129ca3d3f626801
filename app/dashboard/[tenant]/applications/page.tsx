import { PageHeader } from "@/components/page-header";
import { listApplications } from "@/lib/domain/applications";
import { requireTenantMember } from "@/lib/http/session";

export default async function ApplicationsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  const { items, total } = await listApplications(ctx.tenant.id);
  return (
    <>
      <PageHeader title="Applications" description={`${total} machine-to-machine application${total === 1 ? "" : "s"}`} />
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {items.map((app) => (
          <li key={app.id} className="px-4 py-3 text-sm">
            <span className="font-medium">{app.name}</span> <code className="text-xs text-slate-500">{app.clientId}</code>
          </li>
        ))}
        {items.length === 0 ? <li className="px-4 py-6 text-center text-sm text-slate-500">No applications yet.</li> : null}
      </ul>
    </>
  );
}
