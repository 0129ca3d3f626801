// The parameters of the protocol endpoints: flat maps of optional strings.
// Unrecognised parameters are dropped (RFC 6749 §3.2: "MUST ignore"); a
// recognised one that is not a string is invalid_request; an empty one counts
// as omitted (RFC 6749 §3.1).
// Read by hand rather than with zod: this runs on every token request, where
// zod's object parse cost ~3 µs of CPU for six strings
// (docs/decisions/0005-per-token-work.md).
import type { RawParams } from "./body";
import { InvalidRequest } from "./errors";

/** @see RFC 6749 §4.4.2, RFC 8707 §2 (resource), Auth0's `audience`, RFC 7521 §4.2 (client assertions) */
export const TOKEN_REQUEST_PARAMS = [
  "grant_type",
  "audience",
  "resource",
  "scope",
  "client_id",
  "client_secret",
  "client_assertion_type",
  "client_assertion",
] as const;

/** @see RFC 7662 §2.1, RFC 7009 §2.1 */
export const TOKEN_HANDLING_PARAMS = ["token", "token_type_hint", "client_id", "client_secret", "client_assertion_type", "client_assertion"] as const;

export type Params<Names extends readonly string[]> = { [Name in Names[number]]?: string };
export type TokenRequestParams = Params<typeof TOKEN_REQUEST_PARAMS>;
export type TokenHandlingParams = Params<typeof TOKEN_HANDLING_PARAMS>;
export type ClientAuthParams = { client_id?: string; client_secret?: string; client_assertion_type?: string; client_assertion?: string };

/** The named parameters of `raw`; the first one (in `names` order) that is not a string is invalid_request. */
export function readParams<const Names extends readonly string[]>(names: Names, raw: RawParams): Params<Names> {
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = raw[name];
    if (value === undefined || value === "") continue;
    if (typeof value !== "string") throw new InvalidRequest(`Parameter "${name}" must be a string`);
    params[name] = value;
  }
  return params as Params<Names>;
}
