// Grantry's one error family (the OAuth protocol keeps its own, lib/oauth/errors.ts,
// as RFC 6749 §5.2 shapes it). The domain throws these; the Management API and
// the dashboard write them as `{ error: { code, message, details } }`. The
// codes past the domain's own are the REST layer's (tokens, routes, bodies).

const STATUS = {
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
} as const;

export type ErrorCode = keyof typeof STATUS;

export const ERROR_CODES = Object.keys(STATUS) as ErrorCode[];

export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field name → what is wrong with it. */
    readonly details: Record<string, string> = {},
    /** HTTP headers the answer carries (WWW-Authenticate, Allow, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.status = STATUS[code];
  }
}

export class ValidationError extends DomainError {
  constructor(details: Record<string, string>, message = "Some fields are invalid") {
    super("validation_failed", message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super("not_found", `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, string> = {}) {
    super("conflict", message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You are not allowed to do this") {
    super("forbidden", message);
  }
}

/** Too many of one kind of change in a short time; `retryAfterSeconds` says when one more is allowed. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details: Record<string, string> = {},
  ) {
    super("rate_limited", message, details, { "retry-after": String(retryAfterSeconds) });
  }
}

/** Narrows `value` to non-null, or throws `error`. */
export function assertThat<T>(value: T | null | undefined | false, error: Error): asserts value {
  if (!value) throw error;
}

function prismaCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { code?: string }).code : undefined;
}

/** Prisma's unique-constraint violation, as a typed check. */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

/**
 * The error as the domain names it, or null when it is unexpected. Beyond the
 * domain's own errors, three store errors are what a concurrent change leaves:
 * the row to change or delete was deleted meanwhile (Prisma P2025), a row it
 * refers to was (P2003: granting an application while it is deleted), or a
 * row another request created meanwhile takes the same unique key (P2002).
 */
export function asDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  const code = prismaCode(error);
  if (code === "P2025") return new DomainError("not_found", "Not found: it was deleted by another change");
  if (code === "P2003") return new DomainError("not_found", "Not found: what it refers to was deleted by another change");
  if (code === "P2002") return new ConflictError("It was created by another change at the same time");
  return null;
}
