import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { requireMemberships } from "@/lib/http/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Dashboard" };

export default async function DashboardIndex() {
  const { tenants } = await requireMemberships();
  if (tenants[0]) redirect(`/dashboard/${tenants[0].slug}/applications`);
  return (
    <AuthCard title="No tenant yet" subtitle="You are not a member of any tenant.">
      <Link className="text-sm font-medium text-brand-700 hover:underline" href="/dashboard/new-tenant">
        Create a tenant
      </Link>
    </AuthCard>
  );
}
