import { PageHeader } from "@/components/page-header";
import { listApis } from "@/lib/domain/apis";
import { requireTenantMember } from "@/lib/http/session";

export default async function ApisPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  const apis = await listApis(ctx.tenant.id);
  return (
    <>
      <PageHeader title="APIs" description="Resource servers that applications can be granted access to" />
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {apis.map((api) => (
          <li key={api.id} className="px-4 py-3 text-sm">
            <span className="font-medium">{api.name}</span> <code className="text-xs text-slate-500">{api.identifier}</code>
          </li>
        ))}
      </ul>
    </>
  );
}
