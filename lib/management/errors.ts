// How the Management API answers an error of Grantry's one family
// (lib/domain/errors.ts): `{ error: { code, message, details } }`, `details`
// naming fields. Anything unexpected becomes a bare 500, like node-oidc-provider's err_out.
import { CeilingError } from "@/lib/domain/ceiling";
import { DomainError, asDomainError } from "@/lib/domain/errors";
import type { ApiResponse } from "./http-types";
import { logUnexpected } from "@/lib/unexpected";

/** `tokenLifetime` → `token_lifetime`: the domain names fields in camelCase, the API in snake_case. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The error as the API answers it: field names in snake_case; anything unexpected logged and a bare 500. */
export function toApiError(error: unknown, where = "request", reqId?: string): DomainError {
  const domain = asDomainError(error);
  if (!domain) {
    logUnexpected(`management api ${where}`, error, reqId);
    return new DomainError("internal_error", "Something went wrong");
  }
  const details = Object.fromEntries(Object.entries(domain.details).map(([k, v]) => [snakeCase(k), v]));
  // A refused delegation is a missing scope of the caller's (RFC 6750 §3.1's insufficient_scope).
  const code = domain instanceof CeilingError ? "insufficient_scope" : domain.code;
  return new DomainError(code, domain.message, details, domain.headers);
}

export function errorResponse(error: DomainError): ApiResponse {
  return {
    status: error.status,
    headers: error.headers,
    body: { error: { code: error.code, message: error.message, details: error.details } },
  };
}
