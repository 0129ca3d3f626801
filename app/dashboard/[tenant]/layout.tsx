import { DashboardNav } from "@/components/dashboard-nav";
import { SignOutButton } from "@/components/sign-out-button";
import { TenantSwitcher } from "@/components/tenant-switcher";
import { listTenantsForUser } from "@/lib/domain/tenants";
import { requireTenantMember } from "@/lib/http/session";
import { issuerFor } from "@/lib/tenancy";

export const dynamic = "force-dynamic";

export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const ctx = await requireTenantMember(slug);
  const tenants = await listTenantsForUser(ctx.user.id);
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-60 shrink-0 flex-col gap-6 border-r border-slate-200 bg-white px-4 py-5">
        <p className="text-xl font-bold tracking-tight text-brand-700">Grantry</p>
        <TenantSwitcher current={slug} tenants={tenants.map((t) => ({ slug: t.slug, name: t.name }))} />
        <DashboardNav tenant={slug} />
        <div className="mt-auto space-y-2 border-t border-slate-100 pt-4 text-sm">
          <p className="truncate text-slate-600" title={ctx.user.email}>
            {ctx.user.email} <span className="text-xs text-slate-400">({ctx.role})</span>
          </p>
          <p className="truncate text-xs text-slate-400" title={issuerFor(slug)}>
            Issuer: {issuerFor(slug)}
          </p>
          <SignOutButton />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">{children}</main>
    </div>
  );
}
