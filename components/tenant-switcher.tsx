"use client";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import Link from "next/link";
import { DropdownMenu } from "radix-ui";
import { useId } from "react";

const itemClass =
  "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-800 outline-none data-[highlighted]:bg-slate-100 data-[highlighted]:text-slate-900";

/**
 * A menu button, not a <select>: a select that navigates on change moved to
 * another tenant on the first ArrowDown (WCAG 3.2.2, On Input). Here arrows
 * only move within the open menu; Enter or a click on an item navigates.
 */
export function TenantSwitcher({ current, tenants, onNavigate }: { current: string; tenants: Array<{ slug: string; name: string }>; onNavigate?: () => void }) {
  const active = tenants.find((t) => t.slug === current);
  // The sidebar renders twice (desktop column and mobile drawer): ids unique per instance.
  const id = useId();
  return (
    <div>
      <p id={`${id}-label`} className="text-xs font-medium text-slate-500">
        Tenant
      </p>
      {/* Not modal: a modal menu aria-hides the page around it, its own button
          included, and that button stays focusable (axe: aria-hidden-focus). */}
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger
          aria-labelledby={`${id}-label ${id}-current`}
          className="mt-1 flex w-full items-center justify-between gap-2 rounded-md border border-slate-300 bg-surface px-2 py-1.5 text-left text-sm text-slate-900 focus:ring-2 focus:ring-brand-500/30 focus:outline-none"
        >
          <span id={`${id}-current`} className="min-w-0 truncate">
            {active ? `${active.name} (${active.slug})` : current}
          </span>
          <ChevronsUpDown aria-hidden className="size-4 shrink-0 text-slate-500" />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="start"
            sideOffset={4}
            className="z-50 max-h-80 min-w-[var(--radix-dropdown-menu-trigger-width)] overflow-y-auto rounded-md border border-slate-200 bg-surface p-1 shadow-lg"
          >
            {tenants.map((t) => (
              <DropdownMenu.Item key={t.slug} asChild className={itemClass}>
                <Link href={`/dashboard/${t.slug}/applications`} aria-current={t.slug === current ? "page" : undefined} onClick={onNavigate}>
                  <Check aria-hidden className={`size-4 shrink-0 ${t.slug === current ? "text-brand-600" : "invisible"}`} />
                  <span className="min-w-0 truncate">
                    {t.name} ({t.slug})
                  </span>
                </Link>
              </DropdownMenu.Item>
            ))}
            <DropdownMenu.Separator className="my-1 h-px bg-slate-200" />
            <DropdownMenu.Item asChild className={itemClass}>
              <Link href="/dashboard/new-tenant" onClick={onNavigate}>
                <Plus aria-hidden className="size-4 shrink-0" />
                Create tenant…
              </Link>
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </div>
  );
}
