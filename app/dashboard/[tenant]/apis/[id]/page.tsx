import { redirect } from "next/navigation";

export default async function ApiIndex({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  redirect(`/dashboard/${tenant}/apis/${id}/settings`);
}
