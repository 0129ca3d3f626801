import { Suspense } from "react";
import { AppWindow, Plus } from "lucide-react";
import Link from "next/link";
import { SecretExpiryBadge } from "@/components/applications/secret-expiry-badge";
import { CachingBadge } from "@/components/usage/caching-alert";
import { PageHeader } from "@/components/page-header";
import { SearchForm } from "@/components/search-form";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/button";
import { Pagination, redirectPastLastPage } from "@/components/ui/pagination";
import { Skeleton } from "@/components/ui/skeleton";
import { listApplications } from "@/lib/domain/applications";
import { cachingAlerts } from "@/lib/domain/caching";
import { roleAllows } from "@/lib/domain/members";
import { requireTenantMember } from "@/lib/http/session";

export const metadata = { title: "Applications" };

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ q?: string; page?: string }> };

/**
 * The list streams in under a skeleton. Not a loading.tsx: that would also
 * wrap the [id] layouts below, whose notFound() must answer 404 before the
 * response starts streaming (a member of another tenant, say).
 */
export default function ApplicationsPage(props: Props) {
  return (
    <Suspense fallback={<Skeleton header rows={8} />}>
      <ApplicationsList {...props} />
    </Suspense>
  );
}

async function ApplicationsList({ params, searchParams }: Props) {
  const { tenant } = await params;
  const { q = "", page: pageParam } = await searchParams;
  const ctx = await requireTenantMember(tenant);
  const page = Math.max(1, Number.parseInt(pageParam ?? "1", 10) || 1);
  const { items, total, perPage } = await listApplications(ctx.tenant.id, { q, page, perPage: 25 });
  // The caching alert of this page's applications only: one grouped read of two days of counters.
  const alerts = await cachingAlerts(
    ctx.tenant.id,
    items.map((app) => app.id),
  );
  const base = `/dashboard/${tenant}/applications`;
  const hrefFor = (p: number) => `${base}?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  redirectPastLastPage({ page, perPage, total, hrefFor });
  const canEdit = roleAllows(ctx.role, "admin");
  const create = canEdit ? (
    <LinkButton href={`${base}/new`}>
      <Plus aria-hidden className="size-4" /> Create application
    </LinkButton>
  ) : null;
  return (
    <>
      <PageHeader
        title="Applications"
        description="Machine-to-machine applications: backend services that get tokens with their client credentials."
        actions={create}
      />
      {total === 0 && !q ? (
        <EmptyState icon={<AppWindow aria-hidden className="size-6" />} title="Create your first application" action={create}>
          Create an application for each service that calls your APIs. It gets a client id and secret; then authorize it for an API in its APIServer tab.
        </EmptyState>
      ) : (
        <>
          <SearchForm action={base} q={q} label="Search applications" placeholder="Search by name or client id" />
          <div role="region" aria-label="Applications" tabIndex={0} className="overflow-x-auto rounded-xl border border-slate-200 bg-surface shadow-sm">
            <table className="table-cards w-full text-left text-sm">
              <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="px-4 py-3">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-3">
                    Client ID
                  </th>
                  <th scope="col" className="hidden px-4 py-3 sm:table-cell">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((app) => (
                  <tr key={app.id} className="hover:bg-slate-50">
                    <td data-label="Application" className="px-4 py-3">
                      <span className="flex flex-wrap items-center gap-2">
                        <Link href={`${base}/${app.id}/settings`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
                          {app.name}
                        </Link>
                        {app.secretsExpireAt ? <SecretExpiryBadge expiresAt={app.secretsExpireAt} /> : null}
                        <CachingBadge alerts={alerts.filter((a) => a.applicationId === app.id)} href={`${base}/${app.id}/usage`} />
                      </span>
                      {app.description ? <p className="max-w-xs truncate text-xs text-slate-500">{app.description}</p> : null}
                    </td>
                    <td data-label="Client ID" className="px-4 py-3">
                      <span className="flex items-center gap-2">
                        <code className="truncate font-mono text-xs text-slate-600">{app.clientId}</code>
                        <CopyButton value={app.clientId} label={`client ID of ${app.name}`} />
                      </span>
                    </td>
                    <td data-label="Created" className="hidden px-4 py-3 text-slate-500 sm:table-cell">
                      {app.createdAt.toISOString().slice(0, 10)}
                    </td>
                  </tr>
                ))}
                {items.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="px-4 py-10 text-center text-slate-500">
                      No application matches “{q}”. Search by part of a name or by the first 8 or more characters of a client id.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <Pagination page={page} perPage={perPage} total={total} noun="applications" hrefFor={hrefFor} />
        </>
      )}
    </>
  );
}
