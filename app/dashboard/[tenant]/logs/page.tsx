import { FilterSelect } from "@/components/ui/filter-select";
import { ScrollText } from "lucide-react";
import { AuditTable } from "@/components/logs/audit-table";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination, redirectPastLastPage } from "@/components/ui/pagination";
import { listAuditEvents } from "@/lib/domain/audit";
import { auditTargetNames } from "@/lib/domain/audit-targets";
import { auditActions, auditActors } from "@/lib/domain/audit-filters";
import { requireTenantMember } from "@/lib/http/session";

export const metadata = { title: "Logs" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ action?: string; actor?: string; page?: string }> };

export default async function LogsPage({ params, searchParams }: Props) {
  const { tenant } = await params;
  const { action = "", actor = "", page: pageParam } = await searchParams;
  const ctx = await requireTenantMember(tenant);
  const page = Math.max(1, Number.parseInt(pageParam ?? "1", 10) || 1);
  const [events, actions, actors] = await Promise.all([
    listAuditEvents({ tenantId: ctx.tenant.id, action: action || undefined, actorId: actor || undefined, page, perPage: 50 }),
    auditActions(ctx.tenant.id),
    auditActors(ctx.tenant.id),
  ]);
  const names = await auditTargetNames(ctx.tenant.id, events.items);
  const base = `/dashboard/${tenant}/logs`;
  const query = (p: number) => `${base}?${new URLSearchParams({ ...(action ? { action } : {}), ...(actor ? { actor } : {}), page: String(p) })}`;
  redirectPastLastPage({ page, perPage: events.perPage, total: events.total, hrefFor: query });
  return (
    <>
      <PageHeader
        title="Logs"
        description="The audit trail: every change made through the dashboard or the Management API, with who made it and what changed."
      />
      <form method="get" action={base} role="search" aria-label="Filter logs" className="mb-4 flex flex-wrap items-end gap-3">
        <FilterSelect label="Action" name="action" value={action} all="All actions" options={actions.map((a) => ({ value: a, label: a }))} />
        <FilterSelect
          label="Actor"
          name="actor"
          value={actor}
          all="Everyone"
          options={actors.map((a) => ({ value: a.id, label: `${a.label}${a.type === "client" ? " (application)" : ""}` }))}
        />
        <button type="submit" className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-[#1f42b5]">
          Filter
        </button>
      </form>
      {events.total === 0 ? (
        <EmptyState icon={<ScrollText aria-hidden className="size-6" />} title={action || actor ? "No events match these filters" : "No events yet"}>
          Changes to applications, APIs, grants, secrets, keys and members appear here as they happen.
        </EmptyState>
      ) : (
        <>
          <AuditTable events={events.items} names={names} />
          <Pagination page={page} perPage={events.perPage} total={events.total} noun="events" hrefFor={query} />
        </>
      )}
    </>
  );
}
