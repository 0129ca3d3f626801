import Link from "next/link";
import { ApiForm } from "@/components/apis/api-form";
import { DeleteApi } from "@/components/apis/delete-api";
import { DpopRequiredSwitch } from "@/components/dpop-required-switch";
import { Card } from "@/components/ui/card";
import { roleAllows } from "@/lib/domain/members";
import { orNotFound } from "@/lib/http/not-found";
import { apiOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";
import { deleteApiAction, setApiDpopRequiredAction, updateApiAction } from "../../../_actions/apis";

export const metadata = { title: "API settings" };

export default async function ApiSettingsPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const api = await orNotFound(apiOf(ctx.tenant.id, id));
  const canEdit = roleAllows(ctx.role, "admin");
  const builtIn = api.kind === "management";
  return (
    <div className="space-y-6">
      <ApiForm
        key={api.updatedAt.toISOString()}
        mode="edit"
        action={updateApiAction.bind(null, tenant, id)}
        defaults={api}
        readOnly={!canEdit}
        builtIn={builtIn}
      />
      <Card
        title="Proof of possession (DPoP)"
        description="A DPoP-bound token names the key of the client it was issued to; the API then checks, with each call, that the caller holds that key."
        className="max-w-2xl"
      >
        <DpopRequiredSwitch subject="api" dpopRequired={api.dpopRequired} action={canEdit ? setApiDpopRequiredAction.bind(null, tenant, id) : null} />
      </Card>
      {builtIn ? (
        <p className="max-w-2xl text-sm text-slate-500">
          The Grantry Management API is built in: its identifier is this tenant&apos;s issuer URL and it cannot be renamed or deleted. Grant it to an
          application to let it manage this tenant over <code className="font-mono text-xs">/api/v1</code>; the{" "}
          <Link href={`/dashboard/${tenant}/api-docs`} className="text-brand-700 underline">
            API reference
          </Link>{" "}
          lists every operation and the scope it needs.
        </p>
      ) : canEdit ? (
        <Card title="Danger zone" tone="danger" className="max-w-2xl">
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="text-sm text-slate-600">Deleting the API removes its scopes and every grant to it.</p>
            <DeleteApi name={api.name} action={deleteApiAction.bind(null, tenant, id)} listHref={`/dashboard/${tenant}/apis`} />
          </div>
        </Card>
      ) : null}
    </div>
  );
}
