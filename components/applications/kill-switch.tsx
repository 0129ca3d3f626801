"use client";
// The application's kill switch: disabling asks first, since it stops every
// service using these credentials at once; enabling is immediate.
import { Badge } from "@/components/ui/badge";
import { GuardedSwitch } from "@/components/ui/guarded-switch";
import type { ActionResult } from "@/lib/http/action";

type Props = { name: string; enabled: boolean; action: ((enabled: boolean) => Promise<ActionResult<{ enabled: boolean }>>) | null };

export function KillSwitch({ name, enabled, action }: Props) {
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
        <GuardedSwitch
          label="Application enabled"
          checked={enabled}
          action={action}
          guard={false}
          confirm={{
            title: `Disable ${name}?`,
            description:
              "Every service using this application's credentials is refused new tokens from now on, and introspection reports its outstanding tokens as inactive. You can enable it again at any time.",
            confirmLabel: "Disable application",
          }}
        />
      ) : null}
    </div>
  );
}
