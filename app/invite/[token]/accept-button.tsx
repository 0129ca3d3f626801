"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import type { ActionResult } from "@/lib/http/action";

export function AcceptButton({ action, label }: { action: () => Promise<ActionResult<unknown>>; label: string }) {
  const [state, formAction, pending] = useActionState(async () => action(), null as ActionResult<unknown> | null);
  return (
    <form action={formAction} className="space-y-3">
      <FormError message={state && !state.ok ? state.message : null} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : label}
      </Button>
    </form>
  );
}
