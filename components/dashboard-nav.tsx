"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const ITEMS = [
  { href: "applications", label: "Applications" },
  { href: "apis", label: "APIs" },
  { href: "settings", label: "Settings" },
  { href: "logs", label: "Logs" },
];

export function DashboardNav({ tenant }: { tenant: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-1">
      {ITEMS.map((item) => {
        const href = `/dashboard/${tenant}/${item.href}`;
        const active = pathname.startsWith(href);
        return (
          <Link
            key={item.href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`block rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
