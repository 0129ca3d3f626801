import { AppWindow } from "lucide-react";
import Link from "next/link";
import { SecretExpiryBadge } from "@/components/applications/secret-expiry-badge";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { TabsNav } from "@/components/ui/tabs-nav";
import { secretsExpiringSoon } from "@/lib/domain/applications";
import { orNotFound } from "@/lib/http/not-found";
import { applicationOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";

type Props = { children: React.ReactNode; params: Promise<{ tenant: string; id: string }> };

export default async function ApplicationLayout({ children, params }: Props) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const app = await orNotFound(applicationOf(ctx.tenant.id, id));
  const secretsExpireAt = (await secretsExpiringSoon(ctx.tenant.id, [app.id])).get(app.id);
  const base = `/dashboard/${tenant}/applications/${id}`;
  const tabs = [
    { href: `${base}/settings`, label: "Settings" },
    { href: `${base}/credentials`, label: "Credentials" },
    { href: `${base}/apis`, label: "APIServer" },
    { href: `${base}/quickstart`, label: "Quickstart" },
    { href: `${base}/usage`, label: "Usage" },
  ];
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={`/dashboard/${tenant}/applications`} className="hover:underline">
            ← Applications
          </Link>
        }
        title={app.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <AppWindow aria-hidden className="size-4" /> Machine to Machine · Client ID <code className="font-mono text-xs">{app.clientId}</code>
            {app.enabled ? null : <Badge tone="danger">Disabled</Badge>}
            {secretsExpireAt ? <SecretExpiryBadge expiresAt={secretsExpireAt} /> : null}
          </span>
        }
      />
      <TabsNav label="Application" tabs={tabs} />
      {children}
    </>
  );
}
