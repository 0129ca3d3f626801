// Applications and their client secrets: the operations' inputs, the JSON, the presenters.
import { z } from "zod";
import { ASSERTION_ALGORITHMS, KeySetError, normaliseKeySet } from "../public-keys";
import { applicationKeySchema, applicationNameSchema, descriptionSchema, expiresAtSchema, keyNameSchema, quotaModeSchema, quotaSchema } from "../schemas";
import { outboundUrlProblem } from "@/lib/outbound";
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
    assertions_only: z.boolean().describe("true: client secrets are refused; the application authenticates with signed client assertions only"),
    dpop_required: z.boolean().describe("true: token requests without a DPoP proof (RFC 9449) are refused; every token is bound to the client's key"),
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
  assertionsOnly: boolean;
  dpopRequired: boolean;
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
    assertions_only: app.assertionsOnly,
    dpop_required: app.dpopRequired,
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
    assertions_only: z.boolean().optional().describe("true: refuse client secrets, accept only signed client assertions (private_key_jwt)"),
    dpop_required: z.boolean().optional().describe("true: refuse token requests without a DPoP proof (RFC 9449)"),
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

const publicJwkSchema = z
  .object({
    kty: z.enum(["RSA", "EC", "OKP"]),
    kid: z.string(),
    alg: z.enum(ASSERTION_ALGORITHMS).optional(),
    crv: z.string().optional(),
    n: z.string().optional(),
    e: z.string().optional(),
    x: z.string().optional(),
    y: z.string().optional(),
  })
  .describe("A public JWK (RFC 7517)");

export const clientKeySchema = component(
  z.object({
    id: z.string(),
    name: z.string(),
    jwks: z
      .object({ keys: z.array(publicJwkSchema) })
      .nullable()
      .describe("The public keys, as a JWK Set: assertions signed by any of them are accepted. Null for a key set at jwks_uri"),
    jwks_uri: z.string().nullable().describe("Where the application publishes its keys (fetched and cached by Grantry); null for keys given here"),
    created_at: timestamp,
    expires_at: nullableTimestamp,
    last_used_at: nullableTimestamp,
    revoked_at: nullableTimestamp,
  }),
  "ClientKey",
  "Public keys an application signs its client assertions with (private_key_jwt)",
);

type ClientKeyRow = {
  id: string;
  name: string;
  jwks: string;
  jwksUri: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export function presentClientKey(key: ClientKeyRow): z.input<typeof clientKeySchema> {
  return {
    id: key.id,
    name: key.name,
    jwks: key.jwksUri === null ? (JSON.parse(key.jwks) as z.input<typeof clientKeySchema>["jwks"]) : null,
    jwks_uri: key.jwksUri,
    created_at: iso(key.createdAt),
    expires_at: isoOrNull(key.expiresAt),
    last_used_at: isoOrNull(key.lastUsedAt),
    revoked_at: isoOrNull(key.revokedAt),
  };
}

/** A pasted JWK, JWK Set or PEM (public key or certificate), normalised to a JWK Set of public keys. */
const publicKeyInput = z
  .union([z.string().max(16_384, "At most 16 KB"), z.record(z.string(), z.unknown())], {
    error: "Give a JWK or JWK Set (as JSON or a string) or a PEM public key or certificate",
  })
  .transform((value, ctx) => {
    try {
      return normaliseKeySet(value);
    } catch (error) {
      if (!(error instanceof KeySetError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
      return z.NEVER;
    }
  })
  .describe("A JWK, a JWK Set, or a PEM public key or certificate (RSA ≥ 2048 bits, EC P-256 or Ed25519); never a private key");

/** A URL Grantry may fetch keys from (lib/outbound.ts decides; DNS is checked when it is fetched). */
const jwksUriInput = z
  .string()
  .trim()
  .max(2000, "At most 2,000 characters")
  .superRefine((value, ctx) => {
    const problem = outboundUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `The URL ${problem}` });
  })
  .describe("An https URL where the application publishes its JWK Set, which Grantry fetches and caches (instead of public_key)");

/** A key set's fields; exactly one of `public_key` and `jwks_uri` (oneKeySource). */
export const clientKeyFields = z.object({
  name: keyNameSchema,
  public_key: publicKeyInput.optional(),
  jwks_uri: jwksUriInput.optional(),
  expires_at: expiresAtSchema.optional().describe("When the keys stop being accepted; null or absent: never"),
});

export function oneKeySource(value: { public_key?: unknown; jwks_uri?: unknown }, ctx: z.RefinementCtx): void {
  if ((value.public_key === undefined) === (value.jwks_uri === undefined)) {
    const message = "Give either public_key (the keys) or jwks_uri (where they are published), not both";
    ctx.addIssue({ code: "custom", path: [value.public_key === undefined ? "public_key" : "jwks_uri"], message });
  }
}

export const createClientKeyInput = clientKeyFields.strict().superRefine(oneKeySource);
