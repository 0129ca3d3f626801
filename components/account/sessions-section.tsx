"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import type { ActionResult } from "@/lib/http/action";

/** "Sign out everywhere": every session of the account ends, on every device. */
export function SessionsSection({ action }: { action: () => Promise<ActionResult<unknown>> }) {
  const [state, formAction, pending] = useActionState(async () => action(), null as ActionResult<unknown> | null);
  return (
    <form action={formAction} className="space-y-3">
      <p className="text-sm text-slate-600">Ends every session of your account, on every device, this one included.</p>
      <FormError message={state && !state.ok ? state.message : null} />
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? "Signing out…" : "Sign out everywhere"}
      </Button>
    </form>
  );
}
