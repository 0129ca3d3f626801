// Signing keys, audit events and token statistics: the JSON and the presenters.
import { z } from "zod";
import type { AuditEvent } from "../audit";
import type { KeyRow } from "../keys";
import { signingAlgSchema } from "../schemas";
import { component, iso, isoOrNull, nullableTimestamp, timestamp } from "./common";

export const keySchema = component(
  z.object({
    id: z.string(),
    kid: z.string(),
    alg: signingAlgSchema,
    state: z.enum(["current", "previous", "retired"]).describe("current signs; previous is still published; retired is not"),
    created_at: timestamp,
    rotated_at: nullableTimestamp,
    retire_after: nullableTimestamp.describe("When a previous key leaves the JWKS"),
    public_jwk: z.record(z.string(), z.unknown()).describe("The public key as a JWK"),
  }),
  "SigningKey",
  "A signing key of the tenant, public part only",
);

const PUBLIC_JWK_MEMBERS = ["kty", "kid", "alg", "use", "crv", "x", "y", "n", "e"];

export function presentKey(key: KeyRow): z.input<typeof keySchema> {
  const jwk = (key.publicJwk ?? {}) as Record<string, unknown>;
  return {
    id: key.id,
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    created_at: iso(key.createdAt),
    rotated_at: isoOrNull(key.rotatedAt),
    retire_after: isoOrNull(key.retireAfter),
    // Only public members, whatever the stored JWK holds.
    public_jwk: Object.fromEntries(PUBLIC_JWK_MEMBERS.filter((m) => m in jwk).map((m) => [m, jwk[m]])),
  };
}

export const rotateKeysInput = z
  .object({ algs: z.array(signingAlgSchema).min(1).max(4).optional().describe("Rotate only these algorithms' keys (default: every current key)") })
  .strict();

export const logSchema = component(
  z.object({
    id: z.string(),
    actor: z.object({ type: z.enum(["member", "client", "system"]), id: z.string().describe("Member id or client_id"), label: z.string() }),
    action: z.string().describe("e.g. application.create, grant.update, keys.rotate"),
    target: z.object({ type: z.string(), id: z.string() }),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    created_at: timestamp,
  }),
  "AuditEvent",
  "One change, by a dashboard member or an M2M client",
);

export function presentLog(event: AuditEvent): z.input<typeof logSchema> {
  return {
    id: event.id,
    actor: { type: event.actorType, id: event.actorId, label: event.actorLabel },
    action: event.action,
    target: { type: event.targetType, id: event.targetId },
    before: event.before ?? null,
    after: event.after ?? null,
    created_at: iso(event.createdAt),
  };
}

const counts = { issued: z.number().int().describe("Tokens issued"), failed: z.number().int().describe("Token requests refused") };

export const tokenStatsSchema = component(
  z.object({
    from: z.iso.date(),
    to: z.iso.date(),
    issued: z.number().int(),
    failed: z.number().int(),
    per_day: z.array(z.object({ day: z.iso.date(), ...counts })),
    per_application: z.array(z.object({ application_id: z.string(), name: z.string().nullable(), client_id: z.string().nullable(), ...counts })),
    per_api: z.array(z.object({ api_id: z.string(), name: z.string().nullable(), identifier: z.string().nullable(), ...counts })),
  }),
  "TokenStats",
  "Token requests per day, per application and per API (days in UTC)",
);
