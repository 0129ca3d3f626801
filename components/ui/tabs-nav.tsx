"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export type TabLink = { href: string; label: string };

/**
 * Tabs that are pages: links with aria-current, keyboard-reachable like any
 * link. They wrap onto a second line on a narrow screen: scrolled sideways,
 * the last ones (Usage) sat off-screen with nothing to say they were there.
 */
export function TabsNav({ tabs, label }: { tabs: TabLink[]; label: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="-mx-1 mb-6 border-b border-slate-200">
      <ul className="flex flex-wrap gap-x-1 px-1">
        {tabs.map((tab) => {
          const active = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap ${active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800"}`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
