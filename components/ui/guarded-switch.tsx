"use client";
// A switch whose change is saved by a server action, asking first when the
// change is the one that can stop services (`guard` says which: turning off,
// turning on, or none); the other direction is immediate.
import { useState, useTransition } from "react";
import { ConfirmDialog } from "./confirm-dialog";
import { Switch } from "./switch";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = {
  label: string;
  checked: boolean;
  action: (on: boolean) => Promise<ActionResult<unknown>>;
  /** The value whose change asks first, or null when neither does. */
  guard: boolean | null;
  confirm: { title: string; description: string; confirmLabel: string };
};

export function GuardedSwitch({ label, checked, action, guard, confirm }: Props) {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const set = (on: boolean) => action(on).then(toastResult);
  return (
    <>
      <Switch
        label={label}
        checked={checked}
        disabled={pending}
        onCheckedChange={(on) => (on === guard ? setConfirming(true) : startTransition(async () => void (await set(on))))}
      />
      <ConfirmDialog trigger={null} open={confirming} onOpenChange={setConfirming} {...confirm} onConfirm={() => set(guard === true)} />
    </>
  );
}
