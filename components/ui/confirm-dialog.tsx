"use client";
import { AlertDialog } from "radix-ui";
import { type ReactNode, useId, useState, useTransition } from "react";
import { Button } from "./button";
import { inputClass } from "./field";

type ConfirmDialogProps = {
  /** The button that opens the dialog (rendered as the trigger). */
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** When set, the confirm button stays disabled until this exact text is typed. */
  typeToConfirm?: string;
  /** Returns false to keep the dialog open (the action failed). */
  onConfirm: () => Promise<boolean | void>;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
};

/** Every destructive action goes through this dialog. */
export function ConfirmDialog({ trigger, title, description, confirmLabel, typeToConfirm, onConfirm, open, onOpenChange }: ConfirmDialogProps) {
  const [innerOpen, setInnerOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [pending, startTransition] = useTransition();
  const inputId = useId();
  const isOpen = open ?? innerOpen;
  const setOpen = (next: boolean) => {
    if (!next) setTyped("");
    setInnerOpen(next);
    onOpenChange?.(next);
  };
  const blocked = typeToConfirm !== undefined && typed !== typeToConfirm;
  function confirm() {
    startTransition(async () => {
      const result = await onConfirm();
      if (result !== false) setOpen(false);
    });
  }
  return (
    <AlertDialog.Root open={isOpen} onOpenChange={setOpen}>
      {trigger ? <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger> : null}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/40 backdrop-blur-[1px]" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl border border-slate-200 bg-surface p-6 shadow-xl">
          <AlertDialog.Title className="text-lg font-semibold text-slate-900">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 text-sm text-slate-600">{description}</div>
          </AlertDialog.Description>
          {typeToConfirm !== undefined ? (
            <div className="mt-4 space-y-1">
              <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
                Type <span className="font-mono font-semibold">{typeToConfirm}</span> to confirm
              </label>
              <input id={inputId} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" className={inputClass} />
            </div>
          ) : null}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary">Cancel</Button>
            </AlertDialog.Cancel>
            <Button variant="danger" disabled={blocked || pending} onClick={confirm}>
              {pending ? "Working…" : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
