// Federated credentials (workload identity federation): the operations'
// inputs, the JSON, the presenter. One schema per operation, which the
// Management API, the dashboard's actions, the CLI and tenant files parse.
import { z } from "zod";
import { outboundUrlProblem } from "@/lib/outbound";
import { FEDERATION_PRESETS } from "../federation-presets";
import { keyNameSchema } from "../schemas";
import { component, iso, isoOrNull, nullableTimestamp, timestamp } from "./common";

export const MAX_CONDITIONS = 10;

/** A URL Grantry will fetch from: refused when saved by the rule the fetch applies (lib/outbound.ts). */
const fetchableUrl = z
  .string()
  .trim()
  .min(1, "Required")
  .max(500, "At most 500 characters")
  .superRefine((value, ctx) => {
    const problem = outboundUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `The URL ${problem}` });
  });

const issuerInput = fetchableUrl.describe(
  "The external tokens' `iss`, exactly (e.g. https://token.actions.githubusercontent.com). Its keys are found at {issuer}/.well-known/openid-configuration unless jwks_uri is given",
);
const jwksUriInput = fetchableUrl.nullable().describe("Where the issuer's JWK Set is, when it publishes no discovery document; null: discovered");
const subjectInput = z
  .string()
  .min(1, "Required")
  .max(400, "At most 400 characters")
  .describe(
    "The `sub` required: exact, or a pattern where `*` matches any run of characters (e.g. repo:acme/billing:ref:refs/heads/*); no other character is special",
  );
const audienceInput = z.string().trim().min(1, "Required").max(400, "At most 400 characters").describe("The value the external token's `aud` must include");
const conditionsInput = z
  .record(z.string().min(1, "A claim name is required").max(100, "At most 100 characters"), z.string().max(400, "At most 400 characters"))
  .refine((c) => Object.keys(c).length <= MAX_CONDITIONS, `At most ${MAX_CONDITIONS} conditions`)
  .describe(
    'Further claims the token must carry, claim name → exact value (numbers and booleans compare as their JSON text), e.g. {"repository_owner": "acme"}',
  );
const presetInput = z.enum(FEDERATION_PRESETS).nullable().describe("Which platform's form filled this credential (display only)");

export const createFederatedCredentialInput = z
  .object({
    name: keyNameSchema,
    issuer: issuerInput,
    jwks_uri: jwksUriInput.optional(),
    subject: subjectInput,
    audience: audienceInput,
    conditions: conditionsInput.optional(),
    preset: presetInput.optional(),
  })
  .strict();

export const updateFederatedCredentialInput = z
  .object({
    name: keyNameSchema.optional(),
    issuer: issuerInput.optional(),
    jwks_uri: jwksUriInput.optional(),
    subject: subjectInput.optional(),
    audience: audienceInput.optional(),
    conditions: conditionsInput.optional(),
    preset: presetInput.optional(),
  })
  .strict();

export const federatedCredentialSchema = component(
  z.object({
    id: z.string(),
    name: z.string(),
    issuer: z.string(),
    jwks_uri: z.string().nullable(),
    subject: z.string(),
    audience: z.string(),
    conditions: z.record(z.string(), z.string()),
    preset: z.enum(FEDERATION_PRESETS).nullable(),
    created_at: timestamp,
    last_used_at: nullableTimestamp,
  }),
  "FederatedCredential",
  "A trusted external issuer: its JWTs with this subject and audience authenticate the application (workload identity federation)",
);

export type FederatedCredentialRow = {
  id: string;
  name: string;
  issuer: string;
  jwksUri: string | null;
  subject: string;
  audience: string;
  conditions: string;
  preset: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
};

export function presentFederatedCredential(row: FederatedCredentialRow): z.input<typeof federatedCredentialSchema> {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    jwks_uri: row.jwksUri,
    subject: row.subject,
    audience: row.audience,
    conditions: JSON.parse(row.conditions) as Record<string, string>,
    preset: (FEDERATION_PRESETS as readonly string[]).includes(row.preset ?? "") ? (row.preset as (typeof FEDERATION_PRESETS)[number]) : null,
    created_at: iso(row.createdAt),
    last_used_at: isoOrNull(row.lastUsedAt),
  };
}
