import { AuthCard } from "@/components/auth-card";
import { TENANT_CREATION_REFUSED, mayCreateTenant } from "@/lib/domain/members";
import { requireUser } from "@/lib/http/session";
import { TenantForm } from "./tenant-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "New tenant" };

export default async function NewTenantPage() {
  const user = await requireUser();
  if (!(await mayCreateTenant(user.id)))
    return (
      <AuthCard title="Create a tenant" subtitle="Tenant creation is limited on this Grantry.">
        <p role="alert" className="text-sm text-slate-700">
          {TENANT_CREATION_REFUSED}
        </p>
      </AuthCard>
    );
  return (
    <AuthCard title="Create a tenant" subtitle="A tenant has its own applications, APIs, signing keys and issuer URL.">
      <TenantForm />
    </AuthCard>
  );
}
