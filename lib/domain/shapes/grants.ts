// Grants (application × API × scopes): the operations' inputs, the JSON, the presenter.
import { z } from "zod";
import { publicIdentifier } from "../management-api";
import { expiresAtSchema, quotaModeSchema, quotaSchema } from "../schemas";
import { component, idParam, iso, isoOrNull, nullableTimestamp, timestamp } from "./common";

export const grantSchema = component(
  z.object({
    id: z.string(),
    application_id: z.string(),
    api_id: z.string(),
    application: z.object({ id: z.string(), name: z.string(), client_id: z.string() }),
    api: z.object({ id: z.string(), name: z.string(), identifier: z.string(), kind: z.enum(["custom", "management"]) }),
    scopes: z.array(z.string()).describe("The granted scopes of the API"),
    expires_at: nullableTimestamp.describe("After this instant the grant gives no tokens and its tokens stop working"),
    quota_per_hour: z.number().int().nullable(),
    quota_per_day: z.number().int().nullable(),
    quota_mode: quotaModeSchema,
    created_at: timestamp,
    updated_at: timestamp,
  }),
  "Grant",
  "An application's access to an API, with a subset of its scopes",
);

type GrantRow = {
  id: string;
  applicationId: string;
  apiId: string;
  application: { id: string; name: string; clientId: string };
  api: { id: string; name: string; identifier: string; kind: "custom" | "management" };
  scopes: string[];
  expiresAt: Date | null;
  quotaPerHour: number | null;
  quotaPerDay: number | null;
  quotaMode: "enforce" | "log";
  createdAt: Date;
  updatedAt: Date;
};

/** `issuer` names the Management API, whose stored identifier is a placeholder. */
export function presentGrant(grant: GrantRow, issuer: string): z.input<typeof grantSchema> {
  return {
    id: grant.id,
    application_id: grant.applicationId,
    api_id: grant.apiId,
    application: { id: grant.application.id, name: grant.application.name, client_id: grant.application.clientId },
    api: { id: grant.api.id, name: grant.api.name, identifier: publicIdentifier(grant.api, issuer), kind: grant.api.kind },
    scopes: grant.scopes,
    expires_at: isoOrNull(grant.expiresAt),
    quota_per_hour: grant.quotaPerHour,
    quota_per_day: grant.quotaPerDay,
    quota_mode: grant.quotaMode,
    created_at: iso(grant.createdAt),
    updated_at: iso(grant.updatedAt),
  };
}

// Names of the API's scopes: the domain refuses any the API does not define,
// so a scope created under older rules can still be granted.
const grantScopes = z.array(z.string().trim().min(1).max(100)).max(500);

const grantOptions = {
  expires_at: expiresAtSchema.optional().describe("When the grant ends; null or absent: never"),
  quota_per_hour: quotaSchema.optional().describe("Tokens per hour for this API, or null for no limit"),
  quota_per_day: quotaSchema.optional().describe("Tokens per day for this API, or null for no limit"),
  quota_mode: quotaModeSchema.optional().describe("enforce: refuse over quota; log: only flag"),
};

export const createGrantInput = z
  .object({
    application_id: idParam,
    api_id: idParam.optional().describe("The API to grant; or give its audience"),
    audience: z.string().max(400).optional().describe("The API's identifier, instead of api_id"),
    scopes: grantScopes.describe("Scopes of the API to grant (may be empty)"),
    ...grantOptions,
  })
  .strict()
  .refine((input) => (input.api_id === undefined) !== (input.audience === undefined), {
    path: ["api_id"],
    message: "Give exactly one of api_id and audience",
  });

export const updateGrantInput = z.object({ scopes: grantScopes.optional().describe("Replaces the granted scopes"), ...grantOptions }).strict();
