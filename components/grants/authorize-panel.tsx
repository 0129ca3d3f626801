"use client";
import { useCallback, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { GrantActions, GrantRowData } from "./grant-row";
import { ScopeChecklist, type ScopeOption } from "./scope-checklist";

/** What an opened Authorize toggle shows: the API's scopes once read, or why they could not be. */
export type Choice = { scopes: ScopeOption[] | null; error: string | null };

type Props = { row: GrantRowData; actions: GrantActions; choice: Choice; onClose: () => void };

/** Creates the grant with exactly `scopes`; toasts the outcome and says whether it succeeded. */
export async function grantWith(row: GrantRowData, actions: GrantActions, scopes: string[]): Promise<string | null> {
  const result = await actions.setGrant({ application_id: row.applicationId, api_id: row.apiId, scopes });
  if (!result.ok) {
    toast.error(result.message);
    return result.message;
  }
  toast.success(`Authorized ${row.appName} for ${row.apiName} with ${scopes.length ? `${scopes.length} scope${scopes.length === 1 ? "" : "s"}` : "no scopes"}`);
  return null;
}

/**
 * Switching Authorize on opens this: the API's scopes to pick, and one
 * confirmation that creates the grant with them.
 */
export function AuthorizePanel({ row, actions, choice, onClose }: Props) {
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // Stable, so it runs once, when the scopes arrive: focus moves into what just opened.
  const focusOnMount = useCallback((el: HTMLHeadingElement | null) => el?.focus(), []);
  const shownError = error ?? choice.error;

  function authorize() {
    startTransition(async () => {
      const failure = await grantWith(row, actions, selected);
      if (failure) setError(failure);
      else onClose();
    });
  }

  return (
    <div className="border-t border-slate-100 px-5 py-4">
      {choice.scopes ? (
        <>
          <h4 ref={focusOnMount} tabIndex={-1} className="mb-1 text-sm font-semibold text-slate-900 focus:outline-none">
            Choose the scopes {row.appName} gets for {row.apiName}
          </h4>
          <p className="mb-3 text-xs text-slate-600">Nothing is granted until you confirm.</p>
          <ScopeChecklist
            scopes={choice.scopes}
            selected={selected}
            onChange={setSelected}
            idPrefix={`new-scope-${row.apiId}-${row.applicationId}`}
            disabled={pending}
          />
        </>
      ) : shownError ? null : (
        <p className="text-sm text-slate-500" role="status">
          Loading the scopes of {row.apiName}…
        </p>
      )}
      {shownError ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {shownError}
        </p>
      ) : null}
      <div className="mt-4 flex flex-wrap items-center justify-end gap-2">
        <Button variant="secondary" onClick={onClose} disabled={pending}>
          Cancel
        </Button>
        {choice.scopes ? (
          <Button onClick={authorize} disabled={pending}>
            {pending ? "Authorizing…" : `Authorize with ${selected.length ? `${selected.length} scope${selected.length === 1 ? "" : "s"}` : "no scopes"}`}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
