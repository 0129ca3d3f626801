import Link from "next/link";
import { ConfigPlanner } from "@/components/config/config-planner";
import { ExportButton } from "@/components/config/export-button";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { roleAllows } from "@/lib/domain/members";
import { requireTenantMember } from "@/lib/http/session";
import { applyConfigAction, exportConfigAction, planConfigAction } from "../../_actions/config";

export const metadata = { title: "Plan a tenant file" };

export default async function ConfigPlanPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  const admin = roleAllows(ctx.role, "admin");
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/dashboard/${tenant}/settings`} className="underline-offset-2 hover:underline">
            Settings
          </Link>
        }
        title="Plan a tenant file"
        description={
          <>
            Grants as code: see what a file would change in <strong className="text-slate-700">{ctx.tenant.name}</strong> before applying it. CI does the same
            with <code className="font-mono text-xs">grantry plan</code> and <code className="font-mono text-xs">grantry apply</code>.
          </>
        }
        actions={<ExportButton slug={tenant} exportAction={exportConfigAction.bind(null, tenant)} />}
      />
      <Card>
        <ConfigPlanner planAction={planConfigAction.bind(null, tenant)} applyAction={admin ? applyConfigAction.bind(null, tenant) : null} />
      </Card>
    </>
  );
}
