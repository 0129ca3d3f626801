"use client";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import type { ActionResult } from "@/lib/http/action";
import { ScopePicker } from "./scope-picker";

export type GrantRowData = {
  applicationId: string;
  apiId: string;
  appName: string;
  apiName: string;
  /** The API's name (APIServer tab) or the application's name (M2M tab). */
  title: string;
  subtitle: string;
  badge?: string;
  scopes: Array<{ name: string; description: string }>;
  grant: { id: string; scopes: string[] } | null;
};

export type GrantActions = {
  setGrant: (input: { applicationId: string; apiId: string; scopes: string[] }) => Promise<ActionResult<{ id: string; scopes: string[] }>>;
  deleteGrant: (grantId: string) => Promise<ActionResult<null>>;
};

/** One API × application pair: the Authorize toggle and, once authorized, its scopes. */
export function GrantRow({ row, actions }: { row: GrantRowData; actions: GrantActions | null }) {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const authorized = row.grant !== null;

  function authorize() {
    startTransition(async () => {
      const result = await actions!.setGrant({ applicationId: row.applicationId, apiId: row.apiId, scopes: [] });
      if (result.ok) toast.success(`Authorized ${row.appName} for ${row.apiName} — now choose its scopes`);
      else toast.error(result.message);
    });
  }

  async function revoke() {
    const result = await actions!.deleteGrant(row.grant!.id);
    if (!result.ok) {
      toast.error(result.message);
      return false;
    }
    toast.success(`${row.appName} can no longer get tokens for ${row.apiName}`);
  }

  return (
    <section aria-label={row.title} className="rounded-xl border border-slate-200 bg-surface shadow-sm">
      <header className="flex items-center justify-between gap-4 px-5 py-4">
        <div className="min-w-0">
          <h3 className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
            {row.title} {row.badge ? <Badge tone="brand">{row.badge}</Badge> : null}
          </h3>
          <p className="truncate font-mono text-xs text-slate-500">{row.subtitle}</p>
        </div>
        {actions ? (
          <div className="flex items-center gap-2 text-sm text-slate-600">
            <span aria-hidden className="hidden sm:inline">{authorized ? "Authorized" : "Unauthorized"}</span>
            <Switch label={`Authorize ${row.title}`} checked={authorized} disabled={pending} onCheckedChange={(on) => (on ? authorize() : setConfirming(true))} />
          </div>
        ) : (
          <Badge tone={authorized ? "success" : "neutral"}>{authorized ? "Authorized" : "Not authorized"}</Badge>
        )}
      </header>
      {authorized ? (
        <div className="border-t border-slate-100 px-5 py-4">
          <ScopePicker key={row.grant!.scopes.join(" ")} row={row} actions={actions} />
        </div>
      ) : null}
      {actions && authorized ? (
        <ConfirmDialog
          trigger={null}
          open={confirming}
          onOpenChange={setConfirming}
          title={`Revoke ${row.appName}'s access to ${row.apiName}?`}
          description={`${row.appName} loses this grant: its next token request for this API is refused with access_denied. Tokens already issued stay valid until they expire.`}
          confirmLabel="Revoke access"
          onConfirm={revoke}
        />
      ) : null}
    </section>
  );
}
