import { FilterSelect } from "@/components/ui/filter-select";
import { Activity } from "lucide-react";
import { LiveTail } from "@/components/logs/live-tail";
import { TokenLogTable } from "@/components/logs/token-log-table";
import { PageHeader } from "@/components/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination, redirectPastLastPage } from "@/components/ui/pagination";
import { DomainError } from "@/lib/domain/errors";
import { listTokenLog, tokenLogChoices } from "@/lib/domain/token-log";
import { requireTenantMember } from "@/lib/http/session";

export const metadata = { title: "Token requests" };

type Search = { application_id?: string; api_id?: string; outcome?: string; error?: string; range?: string; page?: string };
type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<Search> };

const RANGES: Record<string, { label: string; ms: number }> = {
  "15m": { label: "Last 15 minutes", ms: 15 * 60_000 },
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
};
const PER_PAGE = 50;

/** The instant a time range starts: now, at the request. */
function startOf(range: string): string {
  return new Date(Date.now() - RANGES[range]!.ms).toISOString();
}

export default async function TokenRequestsPage({ params, searchParams }: Props) {
  const { tenant } = await params;
  const search = await searchParams;
  const ctx = await requireTenantMember(tenant);
  const page = Math.max(1, Number.parseInt(search.page ?? "1", 10) || 1);
  const range = search.range && RANGES[search.range] ? search.range : "";
  // The filters as the Management API takes them (one schema parses both): the URL is the state.
  const kept = { application_id: search.application_id, api_id: search.api_id, outcome: search.outcome, error: search.error };
  const filters = Object.fromEntries(Object.entries(kept).filter(([, v]) => v));
  const from = range ? startOf(range) : undefined;
  const base = `/dashboard/${tenant}/token-requests`;
  const query = (p: number) => `${base}?${new URLSearchParams({ ...filters, ...(range ? { range } : {}), page: String(p) })}`;

  const choices = await tokenLogChoices(ctx.tenant.id);
  let invalid: string | null = null;
  let rows: Awaited<ReturnType<typeof listTokenLog>> = { items: [], total: 0 };
  try {
    rows = await listTokenLog(ctx.tenant.id, { ...filters, ...(from ? { from } : {}) }, { page, perPage: PER_PAGE });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    invalid = Object.entries(error.details ?? {})
      .map(([field, message]) => `${field}: ${message}`)
      .join("; ");
  }
  if (!invalid) redirectPastLastPage({ page, perPage: PER_PAGE, total: rows.total, hrefFor: query });
  const filtered = Object.keys(filters).length > 0 || range !== "";

  return (
    <>
      <PageHeader
        title="Token requests"
        description="Every token request, issued or refused, with the application, API, scopes, error code, client and latency. Written about a second after each request."
      />
      <form method="get" action={base} role="search" aria-label="Filter token requests" className="mb-4 flex flex-wrap items-end gap-3">
        <FilterSelect
          label="Application"
          name="application_id"
          value={search.application_id ?? ""}
          all="All applications"
          options={choices.applications.map((a) => ({ value: a.id, label: a.name }))}
        />
        <FilterSelect
          label="API"
          name="api_id"
          value={search.api_id ?? ""}
          all="All APIs"
          options={choices.apis.map((a) => ({ value: a.id, label: a.name }))}
        />
        <FilterSelect
          label="Outcome"
          name="outcome"
          value={search.outcome ?? ""}
          all="Issued and refused"
          options={[
            { value: "success", label: "Issued" },
            { value: "failure", label: "Refused" },
          ]}
        />
        <FilterSelect
          label="Error code"
          name="error"
          value={search.error ?? ""}
          all="Any"
          options={choices.errors.map((code) => ({ value: code, label: code }))}
        />
        <FilterSelect
          label="Time"
          name="range"
          value={range}
          all="Everything kept"
          options={Object.entries(RANGES).map(([value, r]) => ({ value, label: r.label }))}
        />
        <button type="submit" className="rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-[#1f42b5]">
          Filter
        </button>
        <LiveTail />
      </form>
      {invalid ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          These filters cannot be applied: {invalid}
        </p>
      ) : rows.total === 0 ? (
        <EmptyState icon={<Activity aria-hidden className="size-6" />} title={filtered ? "No token requests match these filters" : "No token requests yet"}>
          Each request to this tenant&apos;s token endpoint appears here, issued or refused.
        </EmptyState>
      ) : (
        <>
          <TokenLogTable rows={rows.items} tenant={tenant} />
          <Pagination page={page} perPage={PER_PAGE} total={rows.total} noun="requests" hrefFor={query} />
        </>
      )}
    </>
  );
}
