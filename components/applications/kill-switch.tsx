"use client";
// The application's kill switch: disabling asks first, since it stops every
// service using these credentials at once; enabling is immediate.
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Props = { name: string; enabled: boolean; action: ((enabled: boolean) => Promise<ActionResult<{ enabled: boolean }>>) | null };

export function KillSwitch({ name, enabled, action }: Props) {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const set = (on: boolean) => action!(on).then(toastResult);
  return (
    <div className="flex flex-wrap items-center justify-between gap-4">
      <div className="space-y-1 text-sm">
        <p className="flex items-center gap-2 font-medium text-slate-900">
          Token issuance {enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="danger">Disabled</Badge>}
        </p>
        <p className="text-slate-600">
          {enabled
            ? "Disabling refuses this application's token requests at once (unauthorized_client) and makes its outstanding tokens introspect as inactive."
            : "This application gets no tokens and its outstanding tokens introspect as inactive. Enable it to restore issuance."}
        </p>
      </div>
      {action ? (
        <Switch
          label="Application enabled"
          checked={enabled}
          disabled={pending}
          onCheckedChange={(on) => (on ? startTransition(async () => void (await set(true))) : setConfirming(true))}
        />
      ) : null}
      {action ? (
        <ConfirmDialog
          trigger={null}
          open={confirming}
          onOpenChange={setConfirming}
          title={`Disable ${name}?`}
          description="Every service using this application's credentials is refused new tokens from now on, and introspection reports its outstanding tokens as inactive. You can enable it again at any time."
          confirmLabel="Disable application"
          onConfirm={() => set(false)}
        />
      ) : null}
    </div>
  );
}
