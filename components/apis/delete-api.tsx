"use client";
import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

export function DeleteApi({ name, action, listHref }: { name: string; action: () => Promise<ActionResult<null>>; listHref: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="danger">
          <Trash2 aria-hidden className="size-4" /> Delete API
        </Button>
      }
      title={`Delete ${name}?`}
      description="Applications lose their grants to it, and token requests for its identifier fail with invalid_target. This cannot be undone."
      typeToConfirm={name}
      confirmLabel="Delete API"
      onConfirm={async () => {
        if (!toastResult(await action())) return false;
        router.push(listHref);
      }}
    />
  );
}
