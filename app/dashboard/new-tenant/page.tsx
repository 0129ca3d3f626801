import { AuthCard } from "@/components/auth-card";
import { requireUser } from "@/lib/http/session";
import { TenantForm } from "./tenant-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "New tenant" };

export default async function NewTenantPage() {
  await requireUser();
  return (
    <AuthCard title="Create a tenant" subtitle="A tenant has its own applications, APIs, signing keys and issuer URL.">
      <TenantForm />
    </AuthCard>
  );
}
