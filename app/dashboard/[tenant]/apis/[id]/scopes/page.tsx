import { AddScopeForm } from "@/components/apis/add-scope-form";
import { ScopeList } from "@/components/apis/scope-list";
import { Card } from "@/components/ui/card";
import { roleAllows } from "@/lib/domain/members";
import { orNotFound } from "@/lib/http/not-found";
import { apiOf } from "@/lib/http/request-cache";
import { requireTenantMember } from "@/lib/http/session";
import { addScopeAction, removeScopeAction } from "../../../_actions/apis";

export const metadata = { title: "Scopes" };

export default async function ScopesPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const ctx = await requireTenantMember(tenant);
  const api = await orNotFound(apiOf(ctx.tenant.id, id));
  const editable = roleAllows(ctx.role, "admin") && api.kind !== "management";
  return (
    <div className="space-y-6">
      {editable ? (
        <Card title="Add a scope" description="Scopes name what a token lets its holder do, e.g. read:orders. Your API checks them.">
          <AddScopeForm action={addScopeAction.bind(null, tenant, id)} />
        </Card>
      ) : null}
      <Card title={`Scopes (${api.scopes.length})`} description={api.kind === "management" ? "The Management API's scopes are built in." : undefined}>
        <ScopeList scopes={api.scopes} remove={editable ? removeScopeAction.bind(null, tenant, id) : null} />
      </Card>
    </div>
  );
}
