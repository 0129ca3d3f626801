import { redirect } from "next/navigation";

export default async function TenantHome({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  redirect(`/dashboard/${tenant}/applications`);
}
