"use client";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import { formatDateTime } from "@/components/format";
import { LimitsForm } from "@/components/limits/limits-form";
import type { ActionResult } from "@/lib/http/action";
import { AuthorizePanel, type Choice, grantWith } from "./authorize-panel";
import type { RowGrant } from "./grant-data";
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
  grant: RowGrant | null;
};

export type GrantActions = {
  setGrant: (input: { application_id: string; api_id: string; scopes: string[] }) => Promise<ActionResult<{ id: string; scopes: string[] }>>;
  deleteGrant: (grantId: string) => Promise<ActionResult<null>>;
  updateLimits: (grantId: string, prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;
  /** The API's scopes, read when Authorize is switched on. */
  loadScopes: (apiId: string) => Promise<ActionResult<Array<{ name: string; description: string }>>>;
};

function quotaText(g: RowGrant): string | null {
  const parts = [
    g.quotaPerHour !== null ? `${g.quotaPerHour.toLocaleString("en")}/hour` : null,
    g.quotaPerDay !== null ? `${g.quotaPerDay.toLocaleString("en")}/day` : null,
  ].filter(Boolean);
  return parts.length ? `Quota ${parts.join(" · ")}${g.quotaMode === "log" ? " (log only)" : ""}` : null;
}

/** Expiry and quota at a glance, in the row's header. */
function GrantStatus({ grant }: { grant: RowGrant }) {
  const quota = quotaText(grant);
  return (
    <>
      {grant.expired ? (
        <Badge tone="danger" title={`Expired ${formatDateTime(grant.expiresAt!)}: token requests get access_denied`}>
          Expired
        </Badge>
      ) : grant.expiresAt ? (
        <Badge tone="neutral">Expires {formatDateTime(grant.expiresAt)}</Badge>
      ) : null}
      {quota ? <Badge tone="warning">{quota}</Badge> : null}
    </>
  );
}

/**
 * One API × application pair: the Authorize toggle and, once authorized, its
 * scopes. Switching it on opens the scopes to grant; the grant is made, with
 * them, when that choice is confirmed (switching off again cancels).
 */
export function GrantRow({ row, actions }: { row: GrantRowData; actions: GrantActions | null }) {
  const [confirming, setConfirming] = useState(false);
  const [choice, setChoice] = useState<Choice | null>(null);
  const choosing = choice !== null;
  const opening = useRef(0);
  const close = () => {
    opening.current++;
    setChoice(null);
  };
  const authorized = row.grant !== null;

  /** Switched on: read the API's scopes to choose from; an API without any is authorized at once, there being nothing to choose. */
  async function open() {
    const ticket = ++opening.current;
    setChoice({ scopes: null, error: null });
    const result = await actions!.loadScopes(row.apiId);
    if (ticket !== opening.current) return; // cancelled meanwhile
    if (!result.ok) return setChoice({ scopes: null, error: result.message });
    if (result.data.length > 0) return setChoice({ scopes: result.data, error: null });
    const failure = await grantWith(row, actions!, []);
    setChoice(failure ? { scopes: [], error: failure } : null);
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
            {row.grant ? <GrantStatus grant={row.grant} /> : null}
          </h3>
          <p className="truncate font-mono text-xs text-slate-500">{row.subtitle}</p>
        </div>
        {actions ? (
          <div className="flex items-center gap-2 text-sm text-slate-600">
            <span aria-hidden className="hidden sm:inline">
              {authorized ? "Authorized" : choosing ? "Choose scopes" : "Unauthorized"}
            </span>
            <Switch
              label={`Authorize ${row.title}`}
              checked={authorized || choosing}
              onCheckedChange={(on) => (authorized ? setConfirming(!on) : on ? void open() : close())}
            />
          </div>
        ) : (
          <Badge tone={authorized ? "success" : "neutral"}>{authorized ? "Authorized" : "Not authorized"}</Badge>
        )}
      </header>
      {actions && choice && !authorized ? <AuthorizePanel row={row} actions={actions} choice={choice} onClose={close} /> : null}
      {authorized ? (
        <div className="border-t border-slate-100 px-5 py-4">
          <ScopePicker key={row.grant!.scopes.join(" ")} row={row} actions={actions} />
          {row.grant!.expired ? (
            <p role="status" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              This grant expired {formatDateTime(row.grant!.expiresAt!)}: {row.appName}&apos;s token requests for {row.apiName} are refused with access_denied.
              Clear or move the expiry to restore it.
            </p>
          ) : null}
          <details className="mt-4 rounded-lg border border-slate-100 px-4 py-3" open={row.grant!.expired}>
            <summary className="cursor-pointer text-sm font-medium text-slate-700">Expiry and quota</summary>
            <div className="mt-3">
              <LimitsForm
                key={`${row.grant!.expiresAt?.toISOString() ?? ""} ${row.grant!.quotaPerHour} ${row.grant!.quotaPerDay} ${row.grant!.quotaMode}`}
                idPrefix={`grant-${row.grant!.id}`}
                withExpiry
                action={actions ? actions.updateLimits.bind(null, row.grant!.id) : async () => ({ ok: false, message: "Read-only", fieldErrors: {} })}
                values={row.grant!}
                readOnly={!actions}
              />
            </div>
          </details>
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
