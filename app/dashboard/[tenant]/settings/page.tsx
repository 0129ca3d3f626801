import { InviteMemberForm } from "@/components/settings/invite-member-form";
import { PendingInvitations } from "@/components/settings/pending-invitations";
import { RequireTwoFactor } from "@/components/settings/require-two-factor";
import { MembersTable } from "@/components/settings/members-table";
import { SigningKeys } from "@/components/settings/signing-keys";
import { TenantNameForm } from "@/components/settings/tenant-name-form";
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy-field";
import { LinkButton } from "@/components/ui/button";
import { ExportButton } from "@/components/config/export-button";
import { listKeys } from "@/lib/domain/keys";
import { listInvitations } from "@/lib/domain/invitations";
import { listMembers, roleAllows } from "@/lib/domain/members";
import { requireTenantMember } from "@/lib/http/session";
import { issuerFor, tokenUrlFor } from "@/lib/tenancy";
import { setRequireTwoFactorAction } from "../_actions/two-factor";
import { exportConfigAction } from "../_actions/config";
import {
  changeRoleAction,
  createResetLinkAction,
  inviteMemberAction,
  removeMemberAction,
  renameTenantAction,
  revokeInvitationAction,
  rotateKeysAction,
} from "../_actions/tenant";

export const metadata = { title: "Tenant settings" };

export default async function SettingsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  const [keys, members, invitations] = await Promise.all([listKeys(ctx.tenant.id), listMembers(ctx.tenant.id), listInvitations(ctx.tenant.id)]);
  const owner = roleAllows(ctx.role, "owner");
  const admin = roleAllows(ctx.role, "admin");
  const issuer = issuerFor(tenant);
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          <>
            Tenant <strong className="text-slate-700">{ctx.tenant.name}</strong> · slug <code className="font-mono text-xs">{tenant}</code>
          </>
        }
      />
      <div className="space-y-6">
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="General">
            <TenantNameForm key={ctx.tenant.updatedAt.toISOString()} action={renameTenantAction.bind(null, tenant)} name={ctx.tenant.name} readOnly={!owner} />
          </Card>
          <Card title="Domain" description="Derived from GRANTRY_URL: moving Grantry to a new domain needs no data change.">
            <div className="space-y-4">
              <CopyField label="Issuer URL" value={issuer} />
              <CopyField label="Token endpoint" value={tokenUrlFor(tenant)} />
              <CopyField label="JWKS" value={`${issuer}/.well-known/jwks.json`} />
            </div>
          </Card>
        </div>
        <Card
          title="Grants as code"
          description="The tenant's APIs, scopes, applications and grants as one YAML file (never secrets or keys): review changes in pull requests, plan and apply them from CI."
        >
          <div className="flex flex-wrap gap-3">
            <ExportButton slug={tenant} exportAction={exportConfigAction.bind(null, tenant)} />
            <LinkButton variant="secondary" href={`/dashboard/${tenant}/settings/config`}>
              Plan a file
            </LinkButton>
          </div>
        </Card>
        <Card title="Two-factor sign-in">
          <RequireTwoFactor required={ctx.tenant.requireTwoFactor} set={owner ? setRequireTwoFactorAction.bind(null, tenant) : null} />
        </Card>
        <Card
          title="Signing keys"
          description="Tokens are signed with the current key of their API's algorithm. After a rotation, the previous key stays in the JWKS until every token it signed has expired."
        >
          <SigningKeys
            keys={keys.map((k) => ({
              id: k.id,
              kid: k.kid,
              alg: k.alg,
              state: k.state,
              createdAt: k.createdAt,
              rotatedAt: k.rotatedAt,
              retireAfter: k.retireAfter,
            }))}
            rotate={owner ? rotateKeysAction.bind(null, tenant) : null}
          />
        </Card>
        <Card
          title={`Members (${members.length})`}
          description="Owners manage everything, including members and keys; admins manage applications, APIs, grants and secrets; viewers can look but not change or see secrets."
        >
          <MembersTable
            members={members}
            me={ctx.user.id}
            changeRole={owner ? changeRoleAction.bind(null, tenant) : null}
            remove={owner ? removeMemberAction.bind(null, tenant) : null}
            resetLink={owner ? createResetLinkAction.bind(null, tenant) : null}
          />
          <PendingInvitations invitations={invitations} revoke={admin ? revokeInvitationAction.bind(null, tenant) : null} />
          {admin ? (
            <div className="mt-6 border-t border-slate-100 pt-5">
              <h3 className="mb-3 text-sm font-semibold text-slate-900">Invite a member</h3>
              <InviteMemberForm action={inviteMemberAction.bind(null, tenant)} canInviteOwner={owner} />
            </div>
          ) : null}
        </Card>
      </div>
    </>
  );
}
