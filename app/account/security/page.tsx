// Account security: the signed-in user's two-factor sign-in (TOTP and recovery codes).
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { remainingRecoveryCodes } from "@/lib/domain/mfa-recovery";
import { hasTwoFactor } from "@/lib/domain/mfa-totp";
import { requireUser } from "@/lib/http/session";
import { DisableTwoFactor, TotpSetup } from "./totp-setup";

export const dynamic = "force-dynamic";
export const metadata = { title: "Account security" };

export default async function SecurityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { required } = await searchParams;
  const [enabled, remaining] = await Promise.all([hasTwoFactor(user.id), remainingRecoveryCodes(user.id)]);
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-4 py-8">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Account security</h1>
        <p className="mt-1 text-sm text-slate-500">Signed in as {user.email}</p>
      </div>
      {typeof required === "string" && !enabled ? (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Tenant <strong>{required}</strong> requires two-factor sign-in. Set it up to continue.
        </p>
      ) : null}
      <Card title="Two-factor sign-in" description="A code from an authenticator app after your password.">
        {enabled ? (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">
              Two-factor sign-in is <strong>on</strong>. {remaining} of 10 recovery codes left.
            </p>
            <DisableTwoFactor />
          </div>
        ) : (
          <TotpSetup />
        )}
      </Card>
      <Link className="text-sm font-medium text-brand-600 hover:underline" href={typeof required === "string" ? `/dashboard/${encodeURIComponent(required)}` : "/dashboard"}>
        Back to the dashboard
      </Link>
    </main>
  );
}
