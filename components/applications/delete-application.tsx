"use client";
import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

export function DeleteApplication({ name, action, listHref }: { name: string; action: () => Promise<ActionResult<null>>; listHref: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger">
          <Trash2 aria-hidden className="size-4" /> Delete application
        </Button>
      }
      title={`Delete ${name}?`}
      description="Its client id stops working immediately, all its secrets and grants are removed, and this cannot be undone."
      typeToConfirm={name}
      confirmLabel="Delete application"
      onConfirm={async () => {
        const result = await action();
        if (!toastResult(result)) return false;
        router.push(listHref);
      }}
    />
  );
}
