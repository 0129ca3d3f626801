import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { authOptions } from "@/lib/auth";
import { hasAnyUser } from "@/lib/domain/members";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!(await hasAnyUser())) redirect("/setup");
  const params = await searchParams;
  const email = typeof params.email === "string" ? params.email : undefined;
  // Only a same-site path (an invitation to accept after signing in): never another origin.
  const next = typeof params.next === "string" && /^\/invite\/[A-Za-z0-9_-]+$/.test(params.next) ? params.next : undefined;
  // Already signed in (an ended session, or a deleted user's, has no user id: lib/auth.ts): nothing to do here.
  if (((await getServerSession(authOptions))?.user as { id?: string } | undefined)?.id) redirect(next ?? "/dashboard");
  const notice = params.setup
    ? "Your account is ready. Sign in to continue."
    : params.joined
      ? "Your account is ready and you have joined the tenant. Sign in to continue."
      : params.reset || params.changed
        ? "Your password is changed. Sign in with the new one."
        : undefined;
  return (
    <AuthCard title="Sign in to Grantry">
      <LoginForm email={email} notice={notice} next={next} />
    </AuthCard>
  );
}
