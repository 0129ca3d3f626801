// Applications and their client secrets: the operations' inputs, the JSON, the presenters.
import { z } from "zod";
import { applicationKeySchema, applicationNameSchema, descriptionSchema, expiresAtSchema, quotaModeSchema, quotaSchema } from "../schemas";
import { component, iso, isoOrNull, nullableTimestamp, timestamp } from "./common";

export const applicationSchema = component(
  z.object({
    id: z.string(),
    key: z.string().describe("A stable handle, unique in the tenant: what a tenant file (grants as code) names the application by"),
    name: z.string(),
    description: z.string(),
    client_id: z.string().describe("Public; the client_id of token requests"),
    enabled: z.boolean().describe("false: the application gets no tokens and its tokens stop working"),
    quota_per_hour: z.number().int().nullable(),
    quota_per_day: z.number().int().nullable(),
    quota_mode: quotaModeSchema,
    created_at: timestamp,
    updated_at: timestamp,
  }),
  "Application",
  "An M2M application",
);

type ApplicationRow = {
  id: string;
  key: string;
  name: string;
  description: string;
  clientId: string;
  enabled: boolean;
  quotaPerHour: number | null;
  quotaPerDay: number | null;
  quotaMode: "enforce" | "log";
  createdAt: Date;
  updatedAt: Date;
};

export function presentApplication(app: ApplicationRow): z.input<typeof applicationSchema> {
  return {
    id: app.id,
    key: app.key,
    name: app.name,
    description: app.description,
    client_id: app.clientId,
    enabled: app.enabled,
    quota_per_hour: app.quotaPerHour,
    quota_per_day: app.quotaPerDay,
    quota_mode: app.quotaMode,
    created_at: iso(app.createdAt),
    updated_at: iso(app.updatedAt),
  };
}

const keyInput = applicationKeySchema.describe("A stable handle, unique in the tenant, that a tenant file names the application by");

export const createApplicationInput = z
  .object({
    name: applicationNameSchema,
    description: descriptionSchema.optional(),
    key: keyInput.optional().describe("A stable handle, unique in the tenant (default: derived from the name)"),
  })
  .strict();

export const updateApplicationInput = z
  .object({
    key: keyInput.optional(),
    name: applicationNameSchema.optional(),
    description: descriptionSchema.optional(),
    enabled: z.boolean().optional(),
    quota_per_hour: quotaSchema.optional().describe("Tokens per hour, or null for no limit"),
    quota_per_day: quotaSchema.optional().describe("Tokens per day, or null for no limit"),
    quota_mode: quotaModeSchema.optional().describe("enforce: refuse over quota; log: only flag"),
  })
  .strict();

export const secretSchema = component(
  z.object({
    id: z.string(),
    last_four: z.string().describe("The last four characters, for recognising the secret"),
    created_at: timestamp,
    expires_at: nullableTimestamp,
    last_used_at: nullableTimestamp,
    revoked_at: nullableTimestamp,
  }),
  "ClientSecret",
  "A client secret, without its value",
);

type SecretRow = { id: string; lastFour: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null };

export function presentSecret(secret: SecretRow): z.input<typeof secretSchema> {
  return {
    id: secret.id,
    last_four: secret.lastFour,
    created_at: iso(secret.createdAt),
    expires_at: isoOrNull(secret.expiresAt),
    last_used_at: isoOrNull(secret.lastUsedAt),
    revoked_at: isoOrNull(secret.revokedAt),
  };
}

export const newSecretSchema = component(
  secretSchema.extend({ client_secret: z.string().describe("The secret itself: shown in this response only") }),
  "NewClientSecret",
  "A new client secret with its value, returned once",
);

export const newApplicationSchema = component(
  applicationSchema.extend({
    client_secret: z.string().describe("The first client secret: shown in this response only"),
    secret: secretSchema,
  }),
  "NewApplication",
  "A new application with its first client secret, returned once",
);

export const createSecretInput = z.object({ expires_at: expiresAtSchema.optional().describe("When the secret stops working; null or absent: never") }).strict();
