import { Server } from "lucide-react";
import { scopesShown, toRowGrant } from "@/components/grants/grant-data";
import { GrantRow } from "@/components/grants/grant-row";
import { LinkButton } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { listApiSummaries, scopesOfApis } from "@/lib/domain/apis";
import { listGrants } from "@/lib/domain/grants";
import { roleAllows } from "@/lib/domain/members";
import { orNotFound } from "@/lib/http/not-found";
import { applicationOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";
import { deleteGrantAction, grantableScopesAction, setGrantAction, updateGrantLimitsAction } from "../../../_actions/grants";

export const metadata = { title: "APIServer" };

/** The APIServer tab: every API of the tenant, the Grantry Management API first. */
export default async function ApplicationApisPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const app = await orNotFound(applicationOf(ctx.tenant.id, id));
  const [apis, grants] = await Promise.all([listApiSummaries(ctx.tenant.id), listGrants(ctx.tenant.id, { applicationId: id })]);
  // Only an authorized row shows its scopes: read those alone (see scopesShown).
  const scopes = await scopesOfApis(
    ctx.tenant.id,
    grants.map((g) => g.api.id),
  );
  const actions = roleAllows(ctx.role, "admin")
    ? {
        setGrant: setGrantAction.bind(null, tenant),
        deleteGrant: deleteGrantAction.bind(null, tenant),
        updateLimits: updateGrantLimitsAction.bind(null, tenant),
        loadScopes: grantableScopesAction.bind(null, tenant),
      }
    : null;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-500">
        Authorize <strong className="text-slate-700">{app.name}</strong> to request tokens for an API, and choose which of its scopes the tokens carry. Changes
        take effect on the next token request.
      </p>
      {apis.map((api) => {
        const grant = toRowGrant(grants.find((g) => g.api.id === api.id));
        return (
          <GrantRow
            key={api.id}
            actions={actions}
            row={{
              applicationId: id,
              appName: app.name,
              apiName: api.name,
              apiId: api.id,
              title: api.name,
              subtitle: api.identifier,
              badge: api.kind === "management" ? "System API" : undefined,
              scopes: scopesShown(scopes.get(api.id) ?? [], grant),
              grant,
            }}
          />
        );
      })}
      {apis.length === 1 ? (
        <EmptyState icon={<Server aria-hidden className="size-6" />} title="Only the Grantry Management API so far">
          Register your own API to authorize this application for it.
          {actions ? (
            <div className="mt-3">
              <LinkButton href={`/dashboard/${tenant}/apis/new`} variant="secondary">
                Create an API
              </LinkButton>
            </div>
          ) : null}
        </EmptyState>
      ) : null}
    </div>
  );
}
