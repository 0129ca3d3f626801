// Scope parameters and audience selection for the client credentials grant.
// @see RFC 6749 §3.3 (scope syntax), RFC 8707 §2 (resource)
import { printable } from "./body";
import { InvalidRequest, InvalidScope } from "./errors";
import type { CachedApi, TenantSnapshot } from "./store";

/** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The scope to issue: all granted scopes when none was asked for, else exactly
 * the (granted) ones asked for. `grantedScope`: `granted` joined, when the
 * caller has it already (most token requests name no scope).
 */
export function resolveScope(requested: string | undefined, granted: readonly string[], grantedScope?: string): string {
  if (requested === undefined) return grantedScope ?? granted.join(" ");
  const names = [...new Set(requested.split(" ").filter(Boolean))];
  if (names.length === 0) return grantedScope ?? granted.join(" ");
  const malformed = names.find((name) => !SCOPE_TOKEN.test(name));
  if (malformed !== undefined) throw new InvalidScope(`"${printable(malformed)}" is not a valid scope value`);
  const missing = names.filter((name) => !granted.includes(name));
  if (missing.length) {
    const listed =
      missing
        .slice(0, 10)
        .map((name) => printable(name))
        .join(" ") + (missing.length > 10 ? " …" : "");
    throw new InvalidScope(`Scope not granted to this application for this API: ${listed}`);
  }
  return names.join(" ");
}

/** `audience` (Auth0) or `resource` (RFC 8707); both are fine when they agree. */
export function requestedAudience(params: { audience?: string; resource?: string }): string {
  const { audience, resource } = params;
  if (audience !== undefined && resource !== undefined && audience !== resource) {
    throw new InvalidRequest("audience and resource name different APIs; send one of them");
  }
  const value = audience ?? resource;
  if (value === undefined) throw new InvalidRequest("audience is required: the identifier of the API the token is for");
  return value;
}

/** The Management API answers to the tenant's issuer URL (with or without a trailing slash); other APIs to their identifier. */
export function findApi(snapshot: TenantSnapshot, audience: string, issuer: string): CachedApi | null {
  if (audience === issuer || audience === `${issuer}/`) return snapshot.managementApi;
  return snapshot.apis.get(audience) ?? null;
}

/** The API's identifier as it appears in `aud`. */
export function audienceOf(api: CachedApi, issuer: string): string {
  return api.kind === "management" ? issuer : api.identifier;
}
