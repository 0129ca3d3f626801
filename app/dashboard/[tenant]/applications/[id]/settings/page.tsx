import { ApplicationSettingsForm } from "@/components/applications/application-settings-form";
import { DeleteApplication } from "@/components/applications/delete-application";
import { KillSwitch } from "@/components/applications/kill-switch";
import { LimitsForm } from "@/components/limits/limits-form";
import { Card } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";
import { roleAllows } from "@/lib/domain/members";
import { orNotFound } from "@/lib/http/not-found";
import { applicationOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";
import { issuerFor, tokenUrlFor } from "@/lib/tenancy";
import { deleteApplicationAction, setApplicationEnabledAction, updateApplicationAction, updateApplicationQuotaAction } from "../../../_actions/applications";

export const metadata = { title: "Application settings" };

export default async function ApplicationSettingsPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const app = await orNotFound(applicationOf(ctx.tenant.id, id));
  const canEdit = roleAllows(ctx.role, "admin");
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card title="Basic information">
        <ApplicationSettingsForm
          key={app.updatedAt.toISOString()}
          action={updateApplicationAction.bind(null, tenant, id)}
          name={app.name}
          description={app.description}
          readOnly={!canEdit}
        />
      </Card>
      <Card title="Endpoints and identifiers" description="What your service needs to request a token.">
        <div className="space-y-4">
          <CopyField label="Client ID" value={app.clientId} />
          <CopyField label="Token URL" value={tokenUrlFor(tenant)} />
          <CopyField label="Issuer" value={issuerFor(tenant)} />
          <CopyField label="JWKS URL" value={`${issuerFor(tenant)}/.well-known/jwks.json`} />
        </div>
      </Card>
      <Card className="lg:col-span-2" title="Access" description="The kill switch, and how many tokens this application may get across all its APIs.">
        <div className="space-y-6">
          <KillSwitch name={app.name} enabled={app.enabled} action={canEdit ? setApplicationEnabledAction.bind(null, tenant, id) : null} />
          <div className="border-t border-slate-100 pt-5">
            <h3 className="mb-3 text-sm font-medium text-slate-900">Token quota</h3>
            <LimitsForm
              key={app.updatedAt.toISOString()}
              idPrefix="application"
              action={updateApplicationQuotaAction.bind(null, tenant, id)}
              values={{ quotaPerHour: app.quotaPerHour, quotaPerDay: app.quotaPerDay, quotaMode: app.quotaMode }}
              readOnly={!canEdit}
            />
          </div>
        </div>
      </Card>
      {canEdit ? (
        <Card title="Danger zone" tone="danger" className="lg:col-span-2">
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="text-sm text-slate-600">Deleting the application revokes its secrets and grants at once: its next token request fails.</p>
            <DeleteApplication name={app.name} action={deleteApplicationAction.bind(null, tenant, id)} listHref={`/dashboard/${tenant}/applications`} />
          </div>
        </Card>
      ) : null}
    </div>
  );
}
