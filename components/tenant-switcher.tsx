"use client";
import { useRouter } from "next/navigation";

export function TenantSwitcher({ current, tenants }: { current: string; tenants: Array<{ slug: string; name: string }> }) {
  const router = useRouter();
  return (
    <label className="block text-xs font-medium text-slate-500">
      Tenant
      <select
        aria-label="Tenant"
        value={current}
        onChange={(e) => router.push(e.target.value === "__new" ? "/dashboard/new-tenant" : `/dashboard/${e.target.value}/applications`)}
        className="mt-1 block w-full rounded-md border border-slate-300 bg-surface px-2 py-1.5 text-sm text-slate-900"
      >
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name} ({t.slug})
          </option>
        ))}
        <option value="__new">+ Create tenant…</option>
      </select>
    </label>
  );
}
