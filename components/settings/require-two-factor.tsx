"use client";
// The owner's switch for "members must use two-factor sign-in".
import { useTransition } from "react";
import { Switch } from "@/components/ui/switch";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = { required: boolean; set: ((required: boolean) => Promise<ActionResult<null>>) | null };

export function RequireTwoFactor({ required, set }: Props) {
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center justify-between gap-4">
      <p id="require-2fa-label" className="text-sm text-slate-700">
        Require two-factor sign-in for this tenant&apos;s members. Members without it are sent to set it up at their next visit.
        {set ? null : " Only owners can change this."}
      </p>
      <Switch
        label="Require two-factor sign-in"
        checked={required}
        disabled={!set || pending}
        onCheckedChange={(next) => set && startTransition(async () => void toastResult(await set(next)))}
      />
    </div>
  );
}
