// The day range of stats/tokens and its response shape.
import type { z } from "zod";
import type { tokenStats } from "@/lib/domain/token-stats";
import { ValidationError } from "@/lib/domain/errors";
import type { tokenStatsSchema } from "@/lib/domain/shapes/records";

const DAY = 86_400_000;
export const MAX_STATS_DAYS = 366;

const utcDay = (value: string) => new Date(`${value}T00:00:00.000Z`);
const dayString = (date: Date) => date.toISOString().slice(0, 10);

/** `to` defaults to today (UTC), `from` to 29 days before `to`; both included. */
export function statsRange(query: { from?: string; to?: string }, now = new Date()): { from: Date; to: Date } {
  const to = query.to ? utcDay(query.to) : utcDay(dayString(now));
  const from = query.from ? utcDay(query.from) : new Date(to.getTime() - 29 * DAY);
  if (from > to) throw new ValidationError({ from: "Must not be after `to`" }, "Some query parameters are invalid");
  if ((to.getTime() - from.getTime()) / DAY >= MAX_STATS_DAYS)
    throw new ValidationError({ from: `At most ${MAX_STATS_DAYS} days before \`to\`` }, "Some query parameters are invalid");
  return { from, to };
}

export function presentStats(from: Date, to: Date, stats: Awaited<ReturnType<typeof tokenStats>>, issuer: string): z.input<typeof tokenStatsSchema> {
  return {
    from: dayString(from),
    to: dayString(to),
    issued: stats.total.issued,
    failed: stats.total.failed,
    per_day: stats.perDay,
    per_application: stats.perApplication.map((a) => ({
      application_id: a.id,
      name: a.app?.name ?? null,
      client_id: a.app?.clientId ?? null,
      issued: a.issued,
      failed: a.failed,
    })),
    per_api: stats.perApi.map((a) => ({
      api_id: a.id,
      name: a.api?.name ?? null,
      identifier: a.api ? (a.api.kind === "management" ? issuer : a.api.identifier) : null,
      issued: a.issued,
      failed: a.failed,
    })),
  };
}
