// A one-time password reset link (from an owner or the operator's CLI).
import { AuthCard } from "@/components/auth-card";
import { PasswordForm } from "@/components/account/password-form";
import { describeResetLink } from "@/lib/domain/passwords";
import { resetPasswordAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Reset your password" };

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await describeResetLink(token).catch(() => null);
  if (!link)
    return (
      <AuthCard title="Reset your password">
        <p role="alert" className="text-sm text-slate-700">
          This reset link is invalid, expired or already used. Ask for a new one.
        </p>
      </AuthCard>
    );
  return (
    <AuthCard title="Reset your password" subtitle={`For ${link.email}. Every session of this account ends.`}>
      <PasswordForm action={resetPasswordAction.bind(null, token)} submit="Set my password" />
    </AuthCard>
  );
}
