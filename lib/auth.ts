// next-auth: email + password (scrypt) for dashboard admins, JWT sessions in
// a signed, httpOnly cookie.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { verifyCredentials } from "@/lib/domain/members";
import { passkeyProvider, requireSecondFactor, secondFactorProvider } from "@/lib/auth-second-factor";
import { clientAddress } from "@/lib/http/client-address";
import { takeToken } from "@/lib/rate-limit";

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
        const email = String(credentials.email).trim().toLowerCase();
        const [byEmail, byAddress] = await Promise.all([
          takeToken("signInPerEmail", email),
          takeToken("signInPerAddress", clientAddress(req?.headers ?? {})),
        ]);
        if (!byEmail.allowed || !byAddress.allowed) throw new Error(TOO_MANY_ATTEMPTS);
        const user = await verifyCredentials(String(credentials.email), String(credentials.password));
        if (user) await requireSecondFactor(user.id);
        return user ? { id: user.id, email: user.email, name: user.name || user.email } : null;
      },
    }),
    secondFactorProvider,
    passkeyProvider,
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
