// The parameter schemas of the protocol endpoints, one zod schema each.
// Unrecognised parameters are dropped (RFC 6749 §3.2: "MUST ignore"); a
// recognised one that is not a string is invalid_request; an empty one counts
// as omitted (RFC 6749 §3.1).
import { z } from "zod";
import type { RawParams } from "./body";
import { InvalidRequest } from "./errors";

const param = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

const clientAuthFields = { client_id: param, client_secret: param };

/** @see RFC 6749 §4.4.2, RFC 8707 §2 (resource), Auth0's `audience` */
export const tokenRequestSchema = z.object({
  grant_type: param,
  audience: param,
  resource: param,
  scope: param,
  ...clientAuthFields,
});

/** @see RFC 7662 §2.1, RFC 7009 §2.1 */
export const tokenHandlingSchema = z.object({ token: param, token_type_hint: param, ...clientAuthFields });

export type TokenRequestParams = z.infer<typeof tokenRequestSchema>;
export type TokenHandlingParams = z.infer<typeof tokenHandlingSchema>;
export type ClientAuthParams = { client_id?: string; client_secret?: string };

export function readParams<S extends z.ZodType>(schema: S, raw: RawParams): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const name = String(result.error.issues[0]?.path[0] ?? "parameter");
  throw new InvalidRequest(`Parameter "${name}" must be a string`);
}
