import { AddSecret } from "@/components/applications/add-secret";
import { AddClientKey, AssertionsOnlySwitch, ClientKeysTable } from "@/components/applications/client-keys";
import { AddFederatedCredential, FederatedCredentialsTable, TestFederatedToken } from "@/components/applications/federated-credentials";
import { SecretsTable } from "@/components/applications/secrets-table";
import { SecretWarning } from "@/components/applications/new-credentials";
import { DpopRequiredSwitch } from "@/components/dpop-required-switch";
import { Card } from "@/components/ui/card";
import { getApplication } from "@/lib/domain/applications";
import { listClientKeys } from "@/lib/domain/client-keys";
import { listFederatedCredentials } from "@/lib/domain/federated-credentials";
import { roleAllows } from "@/lib/domain/members";
import { presentClientKey } from "@/lib/domain/shapes/applications";
import { expiresSoon, listSecrets } from "@/lib/domain/secrets";
import { orNotFound } from "@/lib/http/not-found";
import { requireTenantMember } from "@/lib/http/session";
import { issuerFor } from "@/lib/tenancy";
import { addSecretAction, revokeSecretAction } from "../../../_actions/applications";
import { addClientKeyAction, revokeClientKeyAction, setApplicationDpopRequiredAction, setAssertionsOnlyAction } from "../../../_actions/client-keys";
import { addFederatedCredentialAction, deleteFederatedCredentialAction, testFederatedTokenAction } from "../../../_actions/federated-credentials";

export const metadata = { title: "Credentials" };

export default async function CredentialsPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const [secrets, keySets, federated, app] = await orNotFound(
    Promise.all([
      listSecrets(ctx.tenant.id, id),
      listClientKeys(ctx.tenant.id, id),
      listFederatedCredentials(ctx.tenant.id, id),
      getApplication(ctx.tenant.id, id),
    ]),
  );
  const canEdit = roleAllows(ctx.role, "admin");
  const now = new Date().getTime();
  const live = secrets.filter((s) => !s.expiresAt || s.expiresAt.getTime() > now);
  const allExpiring = live.length > 0 && live.every((s) => expiresSoon(s, now));
  const rows = secrets.map((s) => ({ ...s, expired: !!s.expiresAt && s.expiresAt.getTime() <= now, expiresSoon: expiresSoon(s, now) }));
  const keyRows = keySets.map((k) => ({ ...k, keys: presentClientKey(k).jwks?.keys ?? [], expired: !!k.expiresAt && k.expiresAt.getTime() <= now }));
  const liveKeys = keyRows.some((k) => !k.expired);
  return (
    <div className="space-y-6">
      {!app.assertionsOnly && (allExpiring || live.length === 0) ? (
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
      <Card
        title="Public keys (private_key_jwt)"
        description="Instead of sending a secret, a service can sign a short-lived JWT with its private key (RFC 7523). Grantry stores only the public keys, so there is no secret here to leak."
        actions={canEdit ? <AddClientKey action={addClientKeyAction.bind(null, tenant, id)} /> : null}
      >
        <div className="space-y-4">
          <ClientKeysTable keys={keyRows} revoke={canEdit ? revokeClientKeyAction.bind(null, tenant, id) : null} />
          <AssertionsOnlySwitch
            assertionsOnly={app.assertionsOnly}
            hasKeys={liveKeys}
            action={canEdit ? setAssertionsOnlyAction.bind(null, tenant, id) : null}
          />
        </div>
      </Card>
      <Card
        title="Federated credentials"
        description="A CI job or a cluster workload exchanges the token its platform gives it (GitHub Actions, GitLab CI, a Kubernetes service account, a SPIFFE JWT-SVID) for a Grantry token: no secret exists anywhere."
        actions={canEdit ? <AddFederatedCredential action={addFederatedCredentialAction.bind(null, tenant, id)} audience={issuerFor(tenant)} /> : null}
      >
        <div className="space-y-4">
          <FederatedCredentialsTable
            credentials={federated.map((c) => ({ ...c, conditions: JSON.parse(c.conditions) as Record<string, string> }))}
            remove={canEdit ? deleteFederatedCredentialAction.bind(null, tenant, id) : null}
          />
          {federated.length ? <TestFederatedToken action={testFederatedTokenAction.bind(null, tenant, id)} /> : null}
        </div>
      </Card>
      <Card
        title="Proof of possession (DPoP)"
        description="With DPoP (RFC 9449) a service proves with each token request that it holds a private key, and gets a token bound to that key: a leaked token cannot be used without the key."
      >
        <DpopRequiredSwitch
          subject="application"
          dpopRequired={app.dpopRequired}
          action={canEdit ? setApplicationDpopRequiredAction.bind(null, tenant, id) : null}
        />
      </Card>
    </div>
  );
}
