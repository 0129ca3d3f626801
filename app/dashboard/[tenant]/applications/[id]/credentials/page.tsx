import { AddSecret } from "@/components/applications/add-secret";
import { SecretsTable } from "@/components/applications/secrets-table";
import { SecretWarning } from "@/components/applications/new-credentials";
import { Card } from "@/components/ui/card";
import { roleAllows } from "@/lib/domain/members";
import { expiresSoon, listSecrets } from "@/lib/domain/secrets";
import { orNotFound } from "@/lib/http/not-found";
import { requireTenantMember } from "@/lib/http/session";
import { addSecretAction, revokeSecretAction } from "../../../_actions/applications";

export const metadata = { title: "Credentials" };

export default async function CredentialsPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const secrets = await orNotFound(listSecrets(ctx.tenant.id, id));
  const canEdit = roleAllows(ctx.role, "admin");
  const now = new Date().getTime();
  const live = secrets.filter((s) => !s.expiresAt || s.expiresAt.getTime() > now);
  const allExpiring = live.length > 0 && live.every((s) => expiresSoon(s, now));
  const rows = secrets.map((s) => ({ ...s, expired: !!s.expiresAt && s.expiresAt.getTime() <= now, expiresSoon: expiresSoon(s, now) }));
  return (
    <div className="space-y-6">
      {allExpiring || live.length === 0 ? (
        <SecretWarning>
          <strong>
            {live.length === 0
              ? "This application has no working secret."
              : live.length === 1
                ? "This application's only secret expires soon."
                : "Every secret of this application expires soon."}
          </strong>{" "}
          Add a new secret, deploy it to the service, then revoke the old one — both work in the meantime, so there is no downtime.
        </SecretWarning>
      ) : null}
      <Card
        title="Client secrets"
        description="An application can hold several secrets at once, so you can rotate without downtime. Only the last four characters are stored in readable form."
        actions={canEdit ? <AddSecret action={addSecretAction.bind(null, tenant, id)} /> : null}
      >
        <SecretsTable secrets={rows} revoke={canEdit ? revokeSecretAction.bind(null, tenant, id) : null} />
      </Card>
    </div>
  );
}
