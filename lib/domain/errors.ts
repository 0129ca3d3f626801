// The domain's error family. The Management API and the dashboard map these
// to `{ error: { code, message, details } }`; the OAuth code never sees them.

export type DomainErrorCode = "validation_failed" | "not_found" | "conflict" | "forbidden" | "rate_limited";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field name → what is wrong with it. */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }

  get status(): number {
    return { validation_failed: 422, not_found: 404, conflict: 409, forbidden: 403, rate_limited: 429 }[this.code];
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
    super("rate_limited", message, details);
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
