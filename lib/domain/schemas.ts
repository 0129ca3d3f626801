// Field rules shared by the dashboard, the Management API and the CLI.
import { z } from "zod";
import { identifierProblem } from "./identifiers";

/** C0/C1 controls, DEL, line/paragraph separators and bidi overrides: invisible, and they change how a snippet or a log line reads. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const NO_CONTROL = "Must not contain control or invisible formatting characters";

/** A display name: trimmed, 1 to `max` characters, no control characters. */
function nameSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1, "Required")
    .max(max, `At most ${max} characters`)
    .refine((v) => !CONTROL.test(v), NO_CONTROL);
}

export const slugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9-]{3,32}$/, "3 to 32 characters: lowercase letters, digits and hyphens");
export const tenantNameSchema = nameSchema(100);
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")).pipe(z.string().max(254));
export const passwordSchema = z.string().min(12, "At least 12 characters").max(200, "At most 200 characters");
export const personNameSchema = z
  .string()
  .trim()
  .max(100, "At most 100 characters")
  .refine((v) => !CONTROL.test(v), NO_CONTROL);
export const roleSchema = z.enum(["owner", "admin", "viewer"]);

export const applicationNameSchema = nameSchema(100);
export const keyNameSchema = nameSchema(100);
/** An application's key: the stable handle a tenant file names it by (lib/domain/application-keys.ts). */
export const applicationKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "1 to 63 characters: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit");
export const descriptionSchema = z.string().trim().max(500, "At most 500 characters");

export const apiNameSchema = nameSchema(100);
/**
 * An absolute http(s) URL or a URN, as resource indicators are (RFC 8707 §2),
 * written in the form the URL parser keeps. Beyond that it refuses what could
 * end a quoted string or run a command when pasted into a snippet: quotes,
 * `$`, backticks, `;`, whitespace and control characters.
 */
export const apiIdentifierSchema = z
  .string()
  .trim()
  .max(400, "At most 400 characters")
  .superRefine((value, ctx) => {
    const problem = identifierProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
export const MAX_TOKEN_LIFETIME = 30 * 24 * 3600;
const LIFETIME = "A whole number of seconds from 60 to 2592000 (30 days)";
export const tokenLifetimeSchema = z
  .number({ error: LIFETIME })
  .int("Must be a whole number of seconds")
  .min(60, "At least 60 seconds")
  .max(MAX_TOKEN_LIFETIME, "At most 30 days (2592000 seconds)");
export const signingAlgSchema = z.enum(["RS256", "ES256", "PS256", "EdDSA"]);
export type SigningAlgorithm = z.infer<typeof signingAlgSchema>;

/** Why a scope name is refused, or null: RFC 6749 §3.3 scope-tokens, with the reason named. */
function scopeNameProblem(value: string): string | null {
  if (/\s/.test(value)) return "No spaces: a space separates scopes in a token request";
  if (value.includes(",")) return "No commas: add each scope on its own";
  if (/[^\x20-\x7e]/.test(value)) return "Only ASCII letters, digits and punctuation (RFC 6749 §3.3)";
  if (/["\\]/.test(value)) return "No quotes or backslashes";
  return null;
}

/**
 * RFC 6749 §3.3 scope-token: printable ASCII except space, quote and
 * backslash. Commas are refused too, although the RFC allows them: "a,b" is
 * almost always two scopes typed as one, which no client would ask for.
 */
export const scopeNameSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(100, "At most 100 characters")
  .superRefine((value, ctx) => {
    const problem = scopeNameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
export const scopeDescriptionSchema = z.string().trim().max(200, "At most 200 characters");

export const quotaModeSchema = z.enum(["enforce", "log"], { error: "Choose enforce or log" });
const QUOTA = "A whole number of tokens from 1 to 1,000,000,000, or empty for no limit";
export const quotaSchema = z.number({ error: QUOTA }).int(QUOTA).min(1, QUOTA).max(1_000_000_000, QUOTA).nullable();

/**
 * When a secret or a grant stops working: an ISO 8601 instant with its offset,
 * in the future, or null for never. It stays a string, so parsing it twice
 * (at the edge, then in the domain) gives the same value.
 */
export const expiresAtSchema = z.iso
  .datetime({ offset: true, error: "An ISO 8601 date-time, e.g. 2030-01-31T00:00:00Z" })
  .refine((value) => Date.parse(value) > Date.now(), "Must be in the future")
  .nullable();

/**
 * The same instant without the "in the future" rule: a tenant file states an
 * expiry that has passed when its grant has expired. Only a change is held to
 * expiresAtSchema (lib/domain/config/plan.ts).
 */
export const statedExpirySchema = z.iso.datetime({ offset: true, error: "An ISO 8601 date-time, e.g. 2030-01-31T00:00:00Z" }).nullable();

/** The most rows one page of a list holds (the Management API's per_page bound). */
export const MAX_PAGE_SIZE = 100;
