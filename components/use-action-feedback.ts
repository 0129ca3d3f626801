"use client";
import { useEffect, useRef } from "react";
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

/** For useActionState forms: toast each new result once, and call onSuccess. */
export function useActionFeedback<T>(state: ActionResult<T> | null, onSuccess?: (data: T) => void) {
  const seen = useRef<ActionResult<T> | null>(null);
  const callback = useRef(onSuccess);
  useEffect(() => {
    callback.current = onSuccess;
  });
  useEffect(() => {
    if (!state || seen.current === state) return;
    seen.current = state;
    if (toastResult(state) && state.ok) callback.current?.(state.data);
  }, [state]);
}

export function errorsOf(state: ActionResult<unknown> | null): { fieldErrors: Record<string, string>; values: Record<string, string>; formError: string | null } {
  if (!state || state.ok) return { fieldErrors: {}, values: {}, formError: null };
  return { fieldErrors: state.fieldErrors, values: state.values ?? {}, formError: Object.keys(state.fieldErrors).length ? null : state.message };
}
