"use client";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/http/action";

/** Toasts a server action's result: its message on success, the error otherwise. Returns whether it succeeded. */
export function toastResult(result: ActionResult<unknown>): boolean {
  if (result.ok) {
    if (result.message) toast.success(result.message);
    return true;
  }
  toast.error(result.message);
  return false;
}

type FormAction<T> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

/**
 * Wraps a form action for useActionState so that its result is toasted the
 * moment it arrives — before a refreshed page can remount the form.
 */
export function withFeedback<T>(action: FormAction<T>, onSuccess?: (data: T) => void): FormAction<T> {
  return async (prev, form) => {
    const result = await action(prev, form);
    if (toastResult(result) && result.ok) onSuccess?.(result.data);
    return result;
  };
}

export function errorsOf(state: ActionResult<unknown> | null): {
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  formError: string | null;
} {
  if (!state || state.ok) return { fieldErrors: {}, values: {}, formError: null };
  return { fieldErrors: state.fieldErrors, values: state.values ?? {}, formError: Object.keys(state.fieldErrors).length ? null : state.message };
}
