"use client";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { GrantActions, GrantRowData } from "./grant-row";
import { ScopeChecklist } from "./scope-checklist";

/** An authorized row's scopes, saved together, effective on the next token request. */
export function ScopePicker({ row, actions }: { row: GrantRowData; actions: GrantActions | null }) {
  const saved = row.grant?.scopes ?? [];
  const [selected, setSelected] = useState<string[]>(saved);
  const [pending, startTransition] = useTransition();
  const dirty = selected.length !== saved.length || selected.some((s) => !saved.includes(s));

  if (row.scopes.length === 0)
    return <p className="text-sm text-slate-500">This API has no scopes: tokens for it carry an empty scope. Add scopes in the API&apos;s Scopes tab.</p>;
  if (!actions) {
    return <p className="text-sm text-slate-600">Scopes: {saved.length ? <span className="font-mono text-xs">{saved.join(" ")}</span> : "none"}</p>;
  }

  function save() {
    startTransition(async () => {
      const result = await actions!.setGrant({ application_id: row.applicationId, api_id: row.apiId, scopes: selected });
      if (result.ok) toast.success(`Scopes of ${row.appName} for ${row.apiName} saved`);
      else toast.error(result.message);
    });
  }

  return (
    <div>
      <ScopeChecklist scopes={row.scopes} selected={selected} onChange={setSelected} idPrefix={`scope-${row.apiId}-${row.applicationId}`} />
      <div className="mt-4 flex items-center justify-end gap-3">
        {dirty ? <span className="text-xs text-amber-800">Unsaved changes</span> : null}
        <Button onClick={save} disabled={!dirty || pending}>
          {pending ? "Saving…" : "Save scopes"}
        </Button>
      </div>
    </div>
  );
}
