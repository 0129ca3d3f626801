import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { hasAnyUser } from "@/lib/domain/members";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

export default async function SetupPage() {
  if (await hasAnyUser()) redirect("/login");
  return (
    <AuthCard title="Welcome to Grantry" subtitle="Create the first owner. This also creates your default tenant.">
      <SetupForm />
    </AuthCard>
  );
}
