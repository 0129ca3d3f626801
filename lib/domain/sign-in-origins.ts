// Addresses an account has signed in from with the right password. The
// per-email hard stop does not apply to them, so a stranger's wrong
// passwords cannot lock the owner out from where they usually sign in.
import { db } from "@/lib/db";

/** Whether `address` is one `email`'s account signed in from before. */
export async function isKnownOrigin(email: string, address: string): Promise<boolean> {
  const row = await db.signInOrigin.findFirst({ where: { address, user: { email } }, select: { id: true } });
  return Boolean(row);
}

export async function rememberOrigin(userId: string, address: string): Promise<void> {
  await db.signInOrigin.upsert({
    where: { userId_address: { userId, address } },
    create: { userId, address },
    update: { lastSeen: new Date() },
  });
}

/** The user's id for an email, for audit of failed sign-ins (never shown to the caller). */
export async function userIdForEmail(email: string): Promise<string | null> {
  return (await db.user.findUnique({ where: { email }, select: { id: true } }))?.id ?? null;
}
