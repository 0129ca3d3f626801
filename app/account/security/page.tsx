// Account security: the signed-in user's two-factor sign-in (TOTP and recovery codes).
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { listPasskeys } from "@/lib/domain/mfa-passkeys";
import { remainingRecoveryCodes } from "@/lib/domain/mfa-recovery";
import { secondFactors } from "@/lib/domain/mfa-totp";
import { requireUser } from "@/lib/http/session";
import { Passkeys } from "./passkeys";
import { DisableTwoFactor, RegenerateRecoveryCodes, TotpSetup } from "./totp-setup";

export const dynamic = "force-dynamic";
export const metadata = { title: "Account security" };

export default async function SecurityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const { required } = await searchParams;
  const [factors, remaining, passkeys] = await Promise.all([secondFactors(user.id), remainingRecoveryCodes(user.id), listPasskeys(user.id)]);
  const enabled = factors.includes("totp");
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-4 py-8">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Account security</h1>
        <p className="mt-1 text-sm text-slate-500">Signed in as {user.email}</p>
      </div>
      {typeof required === "string" && !factors.length ? (
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
            <RegenerateRecoveryCodes />
            <DisableTwoFactor />
          </div>
        ) : (
          <TotpSetup />
        )}
      </Card>
      <Card title="Passkeys" description="Sign in with your device's screen lock or a security key: instead of your password, or as the second step after it.">
        <Passkeys
          passkeys={passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null }))}
        />
      </Card>
      <Link
        className="text-sm font-medium text-brand-700 hover:underline"
        href={typeof required === "string" ? `/dashboard/${encodeURIComponent(required)}` : "/dashboard"}
      >
        Back to the dashboard
      </Link>
    </main>
  );
}
