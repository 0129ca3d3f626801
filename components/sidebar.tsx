import { KeyRound } from "lucide-react";
import Link from "next/link";
import { DashboardNav } from "./dashboard-nav";
import { SignOutButton } from "./sign-out-button";
import { TenantSwitcher } from "./tenant-switcher";

export type SidebarProps = { slug: string; tenants: Array<{ slug: string; name: string }>; email: string; role: string; issuer: string };

export function Logo() {
  return (
    <p className="flex items-center gap-2 text-lg font-bold tracking-tight text-slate-900">
      <span className="flex size-7 items-center justify-center rounded-lg bg-brand-600 text-white">
        <KeyRound aria-hidden className="size-4" />
      </span>
      Grantry
    </p>
  );
}

/** The sidebar's content, shared by the desktop column and the mobile drawer. */
export function SidebarContent({ slug, tenants, email, role, issuer, onNavigate }: SidebarProps & { onNavigate?: () => void }) {
  return (
    <div className="flex h-full flex-col gap-6">
      <Logo />
      <TenantSwitcher current={slug} tenants={tenants} onNavigate={onNavigate} />
      <DashboardNav tenant={slug} onNavigate={onNavigate} />
      <div className="mt-auto space-y-2 border-t border-slate-100 pt-4 text-sm">
        <p className="truncate text-slate-600" title={email}>
          {email} <span className="text-xs text-slate-500">({role})</span>
        </p>
        <p className="truncate text-xs text-slate-500" title={issuer}>
          Issuer: {issuer}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <Link href="/account" onClick={onNavigate} className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">
            Your account
          </Link>
          <Link href="/account/security" onClick={onNavigate} className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">
            Two-factor sign-in
          </Link>
          <SignOutButton />
        </div>
      </div>
    </div>
  );
}
