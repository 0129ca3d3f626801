import { AppWindow } from "lucide-react";
import { scopesShown, toRowGrant } from "@/components/grants/grant-data";
import { GrantRow } from "@/components/grants/grant-row";
import { SearchForm } from "@/components/search-form";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination, redirectPastLastPage } from "@/components/ui/pagination";
import { listApplicationsForApi } from "@/lib/domain/applications";
import { countGrants, listGrants } from "@/lib/domain/grants";
import { roleAllows } from "@/lib/domain/members";
import { orNotFound } from "@/lib/http/not-found";
import { apiOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";
import { deleteGrantAction, grantableScopesAction, setGrantAction, updateGrantLimitsAction } from "../../../_actions/grants";

export const metadata = { title: "Machine to Machine Applications" };

type Props = { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<{ q?: string; page?: string; authorized?: string }> };

/** The grants from the API's side: every application, authorized ones first, with its Authorize toggle and scopes. */
export default async function ApiApplicationsPage({ params, searchParams }: Props) {
  const { tenant, id } = await params;
  const { q = "", page: pageParam, authorized: authorizedParam } = await searchParams;
  const authorizedOnly = authorizedParam === "1";
  const ctx = await requireTenantMember(tenant);
  const api = await orNotFound(apiOf(ctx.tenant.id, id));
  const page = Math.max(1, Number.parseInt(pageParam ?? "1", 10) || 1);
  const [apps, authorized] = await Promise.all([
    listApplicationsForApi(ctx.tenant.id, id, { q, page, perPage: 20, authorizedOnly }),
    countGrants(ctx.tenant.id, { apiId: id }),
  ]);
  // The grants of this page's applications only, not every grant to the API.
  const grants = await listGrants(ctx.tenant.id, { apiId: id, applicationIds: apps.items.map((app) => app.id) });
  const actions = roleAllows(ctx.role, "admin")
    ? {
        setGrant: setGrantAction.bind(null, tenant),
        deleteGrant: deleteGrantAction.bind(null, tenant),
        updateLimits: updateGrantLimitsAction.bind(null, tenant),
        loadScopes: grantableScopesAction.bind(null, tenant),
      }
    : null;
  const base = `/dashboard/${tenant}/apis/${id}/applications`;
  const hrefFor = (p: number) => `${base}?${new URLSearchParams({ ...(q ? { q } : {}), ...(authorizedOnly ? { authorized: "1" } : {}), page: String(p) })}`;
  redirectPastLastPage({ page, perPage: apps.perPage, total: apps.total, hrefFor });
  if (apps.total === 0 && !q && !authorizedOnly) {
    return (
      <EmptyState
        icon={<AppWindow aria-hidden className="size-6" />}
        title="No applications yet"
        action={actions ? <LinkButton href={`/dashboard/${tenant}/applications/new`}>Create application</LinkButton> : null}
      >
        Create a machine-to-machine application, then authorize it for {api.name} here.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-500">
        {authorized} of {apps.total} application{apps.total === 1 ? "" : "s"} authorized for {api.name}. Changes take effect on the next token request.
      </p>
      <SearchForm action={base} q={q} label="Search applications" placeholder="Search by name or client id">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="authorized" value="1" defaultChecked={authorizedOnly} className="size-4 accent-brand-600" />
          Authorized only
        </label>
      </SearchForm>
      {apps.items.map((app) => {
        const grant = toRowGrant(grants.find((g) => g.application.id === app.id));
        return (
          <GrantRow
            key={app.id}
            actions={actions}
            row={{
              applicationId: app.id,
              apiId: id,
              appName: app.name,
              apiName: api.name,
              title: app.name,
              subtitle: app.clientId,
              scopes: scopesShown(api.scopes, grant),
              grant,
            }}
          />
        );
      })}
      {apps.items.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-500">
          {q ? `No${authorizedOnly ? " authorized" : ""} application matches “${q}”.` : `No application is authorized for ${api.name} yet.`}
        </p>
      ) : null}
      <Pagination page={page} perPage={apps.perPage} total={apps.total} noun="applications" hrefFor={hrefFor} />
    </div>
  );
}
