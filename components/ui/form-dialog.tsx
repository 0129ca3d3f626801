"use client";
// A button that opens a dialog holding a form. Each opening starts from a
// fresh form: the body is keyed by the opening, so a closed dialog forgets
// what was typed and what the last answer was.
import { Dialog } from "radix-ui";
import { Fragment, type ReactNode, useState } from "react";

type Props = { trigger: ReactNode; title: string; children: (close: () => void) => ReactNode };

export function FormDialog({ trigger, title, children }: Props) {
  const [open, setOpen] = useState(false);
  const [round, setRound] = useState(0);
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setRound((r) => r + 1);
      }}
    >
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100vh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl border border-slate-200 bg-surface p-6 shadow-xl">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{title}</Dialog.Title>
          <Fragment key={round}>{children(() => setOpen(false))}</Fragment>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
