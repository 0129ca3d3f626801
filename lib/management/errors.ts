// How the Management API answers an error of Grantry's one family
// (lib/domain/errors.ts): `{ error: { code, message, details } }`, `details`
// naming fields. Anything unexpected becomes a bare 500, like node-oidc-provider's err_out.
import { CeilingError } from "@/lib/domain/ceiling";
import { DomainError, asDomainError } from "@/lib/domain/errors";
import type { ApiResponse } from "./http-types";
import { logUnexpected } from "@/lib/unexpected";

/** The error as the API answers it (the domain names fields as the API does); anything unexpected logged and a bare 500. */
export function toApiError(error: unknown, where = "request", reqId?: string): DomainError {
  const domain = asDomainError(error);
  if (!domain) {
    logUnexpected(`management api ${where}`, error, reqId);
    return new DomainError("internal_error", "Something went wrong");
  }
  // A refused delegation is a missing scope of the caller's (RFC 6750 §3.1's insufficient_scope).
  const code = domain instanceof CeilingError ? "insufficient_scope" : domain.code;
  return new DomainError(code, domain.message, domain.details, domain.headers);
}

export function errorResponse(error: DomainError): ApiResponse {
  return {
    status: error.status,
    headers: error.headers,
    body: { error: { code: error.code, message: error.message, details: error.details } },
  };
}
