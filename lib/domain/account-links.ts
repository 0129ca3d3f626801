// One-time links (invitations and password resets): a random token shown once,
// only its SHA-256 stored, single use, expiring, revocable.
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { sha256Hex } from "@/lib/crypto";
import { env } from "@/lib/env";
import { DomainError } from "./errors";

export type LinkKind = "invitation" | "reset";

const PATH: Record<LinkKind, string> = { invitation: "/invite/", reset: "/reset/" };

export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: sha256Hex(token) };
}

export function linkUrl(kind: LinkKind, token: string): string {
  return `${env().GRANTRY_URL}${PATH[kind]}${token}`;
}

/** Every unusable link answers the same: a holder learns nothing about why, nor whether it ever existed. */
export class LinkInvalidError extends DomainError {
  constructor() {
    super("not_found", "This link is invalid, expired, revoked or already used", { token: "Invalid or expired link" });
  }
}

/** The live link for a token, or LinkInvalidError. Tokens have a fixed shape; anything else is not looked up. */
export async function findLiveLink(kind: LinkKind, token: unknown) {
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new LinkInvalidError();
  const link = await db.accountLink.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!link || link.kind !== kind || link.usedAt || link.revokedAt || link.expiresAt <= new Date()) throw new LinkInvalidError();
  return link;
}
