// The result shape of every dashboard server action: field errors for forms,
// a message for toasts, never a stack trace.
import { asDomainError } from "@/lib/domain/errors";
import { headers } from "next/headers";
import { plainRequestId } from "@/lib/observability/request-log";
import { logUnexpected } from "@/lib/unexpected";

export type ActionResult<T = undefined> =
  { ok: true; data: T; message?: string } | { ok: false; message: string; fieldErrors: Record<string, string>; values?: Record<string, string> };

export async function runAction<T>(fn: () => Promise<T>, successMessage?: string): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn(), message: successMessage };
  } catch (error) {
    const domain = asDomainError(error);
    if (domain) return { ok: false, message: domain.message, fieldErrors: domain.details };
    // Next's redirect()/notFound() work by throwing: let them through.
    if (error instanceof Error && "digest" in error) throw error;
    logUnexpected("server action", error, await requestId());
    return { ok: false, message: "Something went wrong. Please try again.", fieldErrors: {} };
  }
}

export function formString(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

/**
 * React resets a form after its action runs; a failed result carries the
 * submitted values (never passwords or secrets) back as default values.
 */
export function keepValues<T>(result: ActionResult<T>, form: FormData, names: string[]): ActionResult<T> {
  if (result.ok) return result;
  return { ...result, values: Object.fromEntries(names.map((n) => [n, formString(form, n) ?? ""])) };
}

/** The request id the front server gave the action's request; none outside a request (a test calling the action directly). */
async function requestId(): Promise<string | undefined> {
  try {
    return plainRequestId((await headers()).get("x-request-id"));
  } catch {
    return undefined;
  }
}
