// The ticket between the password step and the second-factor step of sign-in:
// a short-lived JWT, signed with a key derived from NEXTAUTH_SECRET, naming the
// user whose password was right. No session exists until the second step
// succeeds, so nothing reaches the dashboard with the password alone.
import { createHash } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";

const PURPOSE = "grantry:second-factor";
const LIFETIME_SECONDS = 300;

function key(): Uint8Array {
  // From process.env itself, not env(): bootstrap may generate it after env() is first read (lib/env.ts lists it).
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set");
  // A key of its own, so a ticket can never pass as a next-auth session token.
  return createHash("sha256").update(`${PURPOSE}\0${secret}`).digest();
}

/** `methods` tells the sign-in form which second factors to offer (it reads the payload; nothing in it is secret). */
export async function issueSecondFactorTicket(userId: string, methods: string[] = []): Promise<string> {
  return new SignJWT({ purpose: PURPOSE, methods })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key());
}

/** The user id a valid, unexpired ticket names; null for anything else. */
export async function readSecondFactorTicket(ticket: unknown): Promise<string | null> {
  if (typeof ticket !== "string" || ticket.length > 1000) return null;
  try {
    const { payload } = await jwtVerify(ticket, key(), { algorithms: ["HS256"] });
    return payload.purpose === PURPOSE && typeof payload.sub === "string" ? payload.sub : null;
  } catch {
    return null;
  }
}
