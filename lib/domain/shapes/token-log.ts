// The token log as the Management API, its NDJSON export and the dashboard's
// Token requests page speak it: the filters (one schema, parsed by all three)
// and one request's JSON.
import { z } from "zod";
import type { TokenLogRecord } from "../token-log";
import { REFUSAL_REASONS, type RefusalReason } from "../refusal-reasons";
import { component, idParam, iso, timestamp } from "./common";

/** A day or an instant; a bare day as `to` includes the whole day. */
const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { message: "A date (2030-01-31) or an ISO 8601 date-time" });

export const tokenLogFilterShape = {
  application_id: idParam.optional().describe("Only this application's requests (also its failed authentications)"),
  api_id: idParam.optional().describe("Only requests for this API"),
  outcome: z.enum(["success", "failure"], { message: 'Either "success" or "failure"' }).optional().describe("Only issued tokens, or only refusals"),
  error: z
    .string()
    .regex(/^[a-z_]{1,64}$/, "An OAuth error code, e.g. invalid_client")
    .optional()
    .describe("Only refusals with this OAuth error code, e.g. invalid_client, access_denied, invalid_scope"),
  from: dayOrInstant.optional().describe("Only requests at or after this date or instant"),
  to: dayOrInstant.optional().describe("Only requests at or before this date or instant (a date includes the whole day)"),
};

export const tokenLogFilterQuery = z.object(tokenLogFilterShape).strict();
export type TokenLogFilterInput = z.output<typeof tokenLogFilterQuery>;

export const tokenLogSchema = component(
  z.object({
    id: z.string(),
    at: timestamp.describe("When the request (the first, when count > 1) was answered"),
    last_at: timestamp.describe("When the last of `count` identical requests was answered"),
    count: z.number().int().describe("Identical requests within one write interval are one entry"),
    outcome: z.enum(["success", "failure"]),
    error: z.string().nullable().describe("The OAuth error code of a refusal"),
    reason: z
      .enum(REFUSAL_REASONS)
      .nullable()
      .describe("Why a client assertion was refused (e.g. issuer_not_trusted, subject_mismatch, expired, audience_mismatch); null otherwise"),
    application_id: z.string().nullable().describe("Also for invalid_client, when the client_id names an application"),
    application_name: z.string().nullable().describe("null when the application has been deleted or was not identified"),
    client_id: z.string().nullable(),
    api_id: z.string().nullable(),
    api_name: z.string().nullable(),
    scope_requested: z.string().describe("The scope parameter as sent (empty: none)"),
    scope_granted: z.string().describe("The scopes of the issued token (empty for a refusal)"),
    client_address: z.string(),
    user_agent: z.string(),
    latency_ms: z.number().describe("Time to answer (mean, when count > 1)"),
  }),
  "TokenRequest",
  "One token request, or identical ones counted together",
);

export function presentTokenLog(r: TokenLogRecord): z.input<typeof tokenLogSchema> {
  return {
    id: r.id,
    at: iso(r.at),
    last_at: iso(r.lastAt),
    count: r.count,
    outcome: r.outcome === "ok" ? "success" : "failure",
    error: r.outcome === "ok" ? null : r.outcome,
    reason: (REFUSAL_REASONS as readonly string[]).includes(r.reason) ? (r.reason as RefusalReason) : null,
    application_id: r.applicationId,
    application_name: r.application?.name ?? null,
    client_id: r.application?.clientId ?? null,
    api_id: r.apiId,
    api_name: r.api?.name ?? null,
    scope_requested: r.scopeRequested,
    scope_granted: r.scopeGranted,
    client_address: r.address,
    user_agent: r.userAgent,
    latency_ms: Math.round(r.latencyMs * 1000) / 1000,
  };
}
