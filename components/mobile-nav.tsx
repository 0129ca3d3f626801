"use client";
import { Menu, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { Logo, SidebarContent, type SidebarProps } from "./sidebar";

/** Below the md breakpoint the sidebar becomes a drawer behind a menu button. */
export function MobileNav(props: SidebarProps) {
  const [open, setOpen] = useState(false);
  return (
    <div className="flex items-center justify-between border-b border-slate-200 bg-surface px-4 py-3 md:hidden">
      <Logo />
      <Dialog.Root open={open} onOpenChange={setOpen}>
        <Dialog.Trigger className="rounded-md p-2 text-slate-700 hover:bg-slate-100" aria-label="Open menu">
          <Menu aria-hidden className="size-5" />
        </Dialog.Trigger>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
          <Dialog.Content className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] bg-surface px-4 py-5 shadow-xl">
            <Dialog.Title className="sr-only">Menu</Dialog.Title>
            <Dialog.Close className="absolute top-4 right-4 rounded-md p-1.5 text-slate-600 hover:bg-slate-100" aria-label="Close menu">
              <X aria-hidden className="size-5" />
            </Dialog.Close>
            <SidebarContent {...props} onNavigate={() => setOpen(false)} />
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </div>
  );
}
