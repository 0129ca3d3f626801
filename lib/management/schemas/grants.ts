// Grants (application × API × scopes), as the Management API shows them.
import { z } from "zod";
import type { getGrant } from "@/lib/domain/grants";
import { quotaModeSchema, quotaSchema, scopeNameSchema } from "@/lib/domain/schemas";
import { paginationShape } from "../pagination";
import { component, expiresAtInput, idParam, iso, isoOrNull, nullableTimestamp, timestamp } from "./common";

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

/** `issuer` names the Management API, whose stored identifier is a placeholder. */
export function presentGrant(grant: Awaited<ReturnType<typeof getGrant>>, issuer: string): z.input<typeof grantSchema> {
  return {
    id: grant.id,
    application_id: grant.applicationId,
    api_id: grant.apiId,
    application: { id: grant.application.id, name: grant.application.name, client_id: grant.application.clientId },
    api: { id: grant.api.id, name: grant.api.name, identifier: grant.api.kind === "management" ? issuer : grant.api.identifier, kind: grant.api.kind },
    scopes: grant.scopes,
    expires_at: isoOrNull(grant.expiresAt),
    quota_per_hour: grant.quotaPerHour,
    quota_per_day: grant.quotaPerDay,
    quota_mode: grant.quotaMode,
    created_at: iso(grant.createdAt),
    updated_at: iso(grant.updatedAt),
  };
}

const grantOptions = {
  expires_at: expiresAtInput.optional().describe("When the grant ends; null or absent: never"),
  quota_per_hour: quotaSchema.optional(),
  quota_per_day: quotaSchema.optional(),
  quota_mode: quotaModeSchema.optional(),
};

export const createGrantBody = z
  .object({
    application_id: idParam,
    api_id: idParam.optional().describe("The API to grant; or give its audience"),
    audience: z.string().max(400).optional().describe("The API's identifier, instead of api_id"),
    scopes: z.array(scopeNameSchema).max(500).describe("Scopes of the API to grant (may be empty)"),
    ...grantOptions,
  })
  .strict();

export const updateGrantBody = z
  .object({ scopes: z.array(scopeNameSchema).max(500).optional().describe("Replaces the granted scopes"), ...grantOptions })
  .strict();

export const listGrantsQuery = z
  .object({
    ...paginationShape,
    application_id: z.string().max(64).optional().describe("Only this application's grants"),
    api_id: z.string().max(64).optional().describe("Only grants of this API"),
    audience: z.string().max(400).optional().describe("Only grants of the API with this identifier"),
  })
  .strict();
