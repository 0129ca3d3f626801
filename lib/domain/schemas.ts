// Field rules shared by the dashboard, the Management API and the CLI.
import { z } from "zod";

export const slugSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9-]{3,32}$/, "3 to 32 characters: lowercase letters, digits and hyphens");
export const tenantNameSchema = z.string().trim().min(1, "Required").max(100, "At most 100 characters");
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")).pipe(z.string().max(254));
export const passwordSchema = z.string().min(12, "At least 12 characters").max(200, "At most 200 characters");
export const personNameSchema = z.string().trim().max(100, "At most 100 characters");
export const roleSchema = z.enum(["owner", "admin", "viewer"]);

export const applicationNameSchema = z.string().trim().min(1, "Required").max(100, "At most 100 characters");
export const descriptionSchema = z.string().trim().max(500, "At most 500 characters");

export const apiNameSchema = z.string().trim().min(1, "Required").max(100, "At most 100 characters");
/** An absolute URL or a URN, as resource indicators are (RFC 8707 §2). */
export const apiIdentifierSchema = z
  .string()
  .trim()
  .max(400, "At most 400 characters")
  .refine((value) => {
    if (/^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i.test(value)) return true;
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.hash && !value.includes(" ");
    } catch {
      return false;
    }
  }, "Must be an absolute http(s) URL without a fragment, or a URN");
export const MAX_TOKEN_LIFETIME = 30 * 24 * 3600;
export const tokenLifetimeSchema = z.coerce
  .number()
  .int("Must be a whole number of seconds")
  .min(60, "At least 60 seconds")
  .max(MAX_TOKEN_LIFETIME, "At most 30 days (2592000 seconds)");
export const signingAlgSchema = z.enum(["RS256", "ES256", "PS256", "EdDSA"]);
export type SigningAlgorithm = z.infer<typeof signingAlgSchema>;

/** RFC 6749 §3.3 scope-token: printable ASCII except space, quote and backslash. */
export const scopeNameSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(100, "At most 100 characters")
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "No spaces, quotes or backslashes");
export const scopeDescriptionSchema = z.string().trim().max(200, "At most 200 characters");

export const quotaModeSchema = z.enum(["enforce", "log"]);
export const quotaSchema = z.number().int().min(1).max(1_000_000_000).nullable();
