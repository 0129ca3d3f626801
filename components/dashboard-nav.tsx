"use client";
import { Activity, AppWindow, BookOpen, ScrollText, Server, Settings } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "applications", label: "Applications", icon: AppWindow },
  { href: "apis", label: "APIs", icon: Server },
  { href: "settings", label: "Settings", icon: Settings },
  { href: "token-requests", label: "Token requests", icon: Activity },
  { href: "logs", label: "Logs", icon: ScrollText },
  { href: "api-docs", label: "API reference", icon: BookOpen },
];

export function DashboardNav({ tenant, onNavigate }: { tenant: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-1">
      {ITEMS.map((item) => {
        const href = `/dashboard/${tenant}/${item.href}`;
        const active = pathname.startsWith(href);
        const Icon = item.icon;
        return (
          <Link
            key={item.href}
            href={href}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className={`flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
          >
            <Icon aria-hidden className="size-4" />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
