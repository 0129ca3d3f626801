// The signed-in user's own settings, one card per section (two-factor sign-in adds its own).
import Link from "next/link";
import { PasswordForm } from "@/components/account/password-form";
import { SessionsSection } from "@/components/account/sessions-section";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/http/session";
import { changePasswordAction, signOutEverywhereAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <main className="mx-auto max-w-2xl space-y-6 px-4 py-10">
      <div>
        <Link className="text-sm font-medium text-brand-700 hover:underline" href="/dashboard">
          ← Dashboard
        </Link>
        <h1 className="mt-2 text-xl font-semibold">Your account</h1>
        <p className="text-sm text-slate-500">{user.email}</p>
      </div>
      <Card title="Password" description="Changing it signs you out everywhere.">
        <PasswordForm action={changePasswordAction} current submit="Change password" />
      </Card>
      <Card title="Sessions">
        <SessionsSection action={signOutEverywhereAction} />
      </Card>
    </main>
  );
}
