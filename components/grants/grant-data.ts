// What a grant row shows of a grant, computed on the server (so "expired" is
// decided once, at render time, not again in the browser).
import type { LimitValues } from "@/components/limits/limits-form";

export type RowGrant = LimitValues & { id: string; scopes: string[]; expired: boolean };

type PresentedGrant = {
  id: string;
  scopes: string[];
  expiresAt: Date | null;
  quotaPerHour: number | null;
  quotaPerDay: number | null;
  quotaMode: "enforce" | "log";
};

export function toRowGrant(grant: PresentedGrant | undefined, now = new Date()): RowGrant | null {
  if (!grant) return null;
  const { id, scopes, expiresAt, quotaPerHour, quotaPerDay, quotaMode } = grant;
  return { id, scopes, expiresAt, quotaPerHour, quotaPerDay, quotaMode, expired: expiresAt !== null && expiresAt <= now };
}

/**
 * The API's scopes as a row needs them: only an authorized row shows them, and
 * sending them for every row made the APIServer tab's page twice as heavy at
 * 100 APIs. Authorizing refreshes the page, which then sends them.
 */
export function scopesShown<S>(scopes: S[], grant: RowGrant | null): S[] {
  return grant ? scopes : [];
}
