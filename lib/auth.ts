// next-auth: email + password (scrypt) for dashboard admins, JWT sessions in
// a signed, httpOnly cookie. Each token carries the user's session version:
// "sign out everywhere", a password change or reset bumps it, and older
// sessions stop working at their next request.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { passkeyProvider, requireSecondFactor, secondFactorProvider } from "@/lib/auth-second-factor";
import { sessionVersion } from "@/lib/domain/passwords";
import { clientAddress } from "@/lib/client-address";
import { completeSignIn, passwordSignIn } from "@/lib/sign-in";

/** The error code the sign-in form shows as "too many attempts". */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const address = clientAddress(req?.headers ?? {});
        const result = await passwordSignIn(String(credentials.email), String(credentials.password), address);
        if (!result.ok && result.throttled) throw new Error(TOO_MANY_ATTEMPTS);
        if (!result.ok) return null;
        const { user } = result;
        await requireSecondFactor(user.id);
        await completeSignIn(user, address);
        return { id: user.id, email: user.email, name: user.name || user.email, sessionVersion: user.sessionVersion };
      },
    }),
    secondFactorProvider,
    passkeyProvider,
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
        return token;
      }
      // A session from before "sign out everywhere" (or of a deleted user) is over.
      if (token.sub && (await sessionVersion(token.sub)) !== (token.sv ?? 0)) return {};
      return token;
    },
    session({ session, token }) {
      // next-auth builds `session.user` from the cookie's old token: an ended session must answer no user.
      if (!token.sub) return { expires: session.expires };
      if (session.user) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
