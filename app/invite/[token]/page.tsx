// An invitation link: the invitee sets their own password (new to Grantry) or
// signs in and accepts (an existing account). Both choices are always offered,
// so the page does not tell whoever holds the link whether the email has an account.
import Link from "next/link";
import { getServerSession } from "next-auth";
import { AuthCard } from "@/components/auth-card";
import { PasswordForm } from "@/components/account/password-form";
import { authOptions } from "@/lib/auth";
import { describeInvitation } from "@/lib/domain/invitations";
import { AcceptButton } from "./accept-button";
import { acceptAsNewAccountAction, acceptAsSignedInAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await describeInvitation(token).catch(() => null);
  if (!invitation)
    return (
      <AuthCard title="Invitation">
        <p role="alert" className="text-sm text-slate-700">
          This invitation link is invalid, expired, revoked or already used. Ask for a new one.
        </p>
      </AuthCard>
    );
  const session = await getServerSession(authOptions);
  const signedIn = session?.user?.email ?? null;
  const self = `/invite/${token}`;
  return (
    <AuthCard title={`Join ${invitation.tenant.name}`} subtitle={`You are invited as ${invitation.role}, for ${invitation.email}.`}>
      {signedIn === invitation.email ? (
        <AcceptButton action={acceptAsSignedInAction.bind(null, token)} label={`Accept as ${signedIn}`} />
      ) : signedIn ? (
        <p role="alert" className="text-sm text-slate-700">
          You are signed in as {signedIn}; this invitation is for {invitation.email}. Sign out, then open the link again.
        </p>
      ) : (
        <div className="space-y-6">
          <section aria-labelledby="existing-account">
            <h2 id="existing-account" className="text-sm font-semibold">
              Already use Grantry?
            </h2>
            <p className="mt-1 text-sm">
              <Link
                className="font-medium text-brand-700 hover:underline"
                href={`/login?email=${encodeURIComponent(invitation.email)}&next=${encodeURIComponent(self)}`}
              >
                Sign in to accept
              </Link>
            </p>
          </section>
          <section aria-labelledby="new-account">
            <h2 id="new-account" className="mb-3 text-sm font-semibold">
              New to Grantry? Choose your password
            </h2>
            <PasswordForm action={acceptAsNewAccountAction.bind(null, token)} name submit="Create my account" />
          </section>
        </div>
      )}
    </AuthCard>
  );
}
