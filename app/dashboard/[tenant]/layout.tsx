import { MobileNav } from "@/components/mobile-nav";
import { SidebarContent } from "@/components/sidebar";
import { requireMemberships, requireTenantMember } from "@/lib/http/session";
import { issuerFor } from "@/lib/tenancy";

export const dynamic = "force-dynamic";

export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const ctx = await requireTenantMember(slug);
  const { tenants } = await requireMemberships();
  const props = { slug, tenants: tenants.map((t) => ({ slug: t.slug, name: t.name })), email: ctx.user.email, role: ctx.role, issuer: issuerFor(slug) };
  return (
    <div className="min-h-screen md:flex">
      {/* The first tab stop: past the navigation to the page's own content. */}
      <a
        href="#main"
        className="sr-only rounded-md bg-surface px-3 py-2 text-sm font-medium text-brand-700 shadow focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      <MobileNav {...props} />
      <aside className="hidden w-64 shrink-0 border-r border-slate-200 bg-surface md:block">
        <div className="sticky top-0 h-screen px-4 py-5">
          <SidebarContent {...props} />
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 outline-none sm:px-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
