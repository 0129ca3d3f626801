// The Management API's error family and the one function that writes its
// body: `{ error: { code, message, details } }`, `details` naming fields.
// Anything unexpected becomes a bare 500, like node-oidc-provider's err_out.
import type { z } from "zod";
import { CeilingError } from "@/lib/domain/ceiling";
import { type DomainError, RateLimitedError, asDomainError } from "@/lib/domain/errors";
import type { ApiResponse } from "./http-types";
import { logUnexpected } from "@/lib/unexpected";

export type ApiErrorCode =
  | "invalid_request"
  | "invalid_json"
  | "invalid_token"
  | "insufficient_scope"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "validation_failed"
  | "rate_limited"
  | "internal_error";

const STATUS: Record<ApiErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = STATUS[code];
  }
}

export const ERROR_CODES = Object.keys(STATUS) as ApiErrorCode[];

/** `tokenLifetime` → `token_lifetime`: the domain names fields in camelCase, the API in snake_case. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Field → message for each zod issue; unknown keys are named one by one. */
export function zodDetails(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) details[base ? `${base}.${key}` : key] ??= "Unknown field";
      continue;
    }
    details[base || "_"] ??= issue.message;
  }
  return details;
}

export function validationError(details: Record<string, string>, message = "Some fields are invalid"): ApiError {
  return new ApiError("validation_failed", message, details);
}

function fromDomain(error: DomainError): ApiError {
  const details = Object.fromEntries(Object.entries(error.details).map(([k, v]) => [snakeCase(k), v]));
  // A refused delegation is a missing scope of the caller's (RFC 6750 §3.1's insufficient_scope).
  const code = error instanceof CeilingError ? "insufficient_scope" : error.code;
  const headers: Record<string, string> = error instanceof RateLimitedError ? { "retry-after": String(error.retryAfterSeconds) } : {};
  return new ApiError(code, error.message, details, headers);
}

export function toApiError(error: unknown, where = "request", reqId?: string): ApiError {
  if (error instanceof ApiError) return error;
  const domain = asDomainError(error);
  if (domain) return fromDomain(domain);
  logUnexpected(`management api ${where}`, error, reqId);
  return new ApiError("internal_error", "Something went wrong");
}

export function errorResponse(error: ApiError): ApiResponse {
  return {
    status: error.status,
    headers: error.headers,
    body: { error: { code: error.code, message: error.message, details: error.details } },
  };
}
