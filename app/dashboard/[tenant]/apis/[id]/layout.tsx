import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { TabsNav } from "@/components/ui/tabs-nav";
import { orNotFound } from "@/lib/http/not-found";
import { apiOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";

type Props = { children: React.ReactNode; params: Promise<{ tenant: string; id: string }> };

export default async function ApiLayout({ children, params }: Props) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const api = await orNotFound(apiOf(ctx.tenant.id, id));
  const base = `/dashboard/${tenant}/apis/${id}`;
  const tabs = [
    { href: `${base}/settings`, label: "Settings" },
    { href: `${base}/scopes`, label: "Scopes" },
    { href: `${base}/applications`, label: "Machine to Machine Applications" },
    { href: `${base}/test`, label: "Test" },
  ];
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/dashboard/${tenant}/apis`} className="hover:underline">
            ← APIs
          </Link>
        }
        title={api.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {api.kind === "management" ? <Badge tone="brand">System API</Badge> : <Badge>Custom API</Badge>}
            Identifier <code className="font-mono text-xs break-all">{api.identifier}</code>
          </span>
        }
      />
      <TabsNav label="API" tabs={tabs} />
      {children}
    </>
  );
}
