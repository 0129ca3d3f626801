import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { hasAnyUser } from "@/lib/domain/members";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!(await hasAnyUser())) redirect("/setup");
  const params = await searchParams;
  const email = typeof params.email === "string" ? params.email : undefined;
  return (
    <AuthCard title="Sign in to Grantry">
      <LoginForm email={email} notice={params.setup ? "Your account is ready. Sign in to continue." : undefined} />
    </AuthCard>
  );
}
