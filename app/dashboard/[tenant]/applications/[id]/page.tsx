import { redirect } from "next/navigation";

export default async function ApplicationIndex({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  redirect(`/dashboard/${tenant}/applications/${id}/settings`);
}
