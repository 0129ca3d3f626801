"use client";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { GrantActions, GrantRowData } from "./grant-row";

/** Scope checkboxes with select all / none; saved together, effective on the next token request. */
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

  const toggle = (name: string, on: boolean) => setSelected((prev) => (on ? [...prev, name] : prev.filter((s) => s !== name)));
  function save() {
    startTransition(async () => {
      const result = await actions!.setGrant({ application_id: row.applicationId, api_id: row.apiId, scopes: selected });
      if (result.ok) toast.success(`Scopes of ${row.appName} for ${row.apiName} saved`);
      else toast.error(result.message);
    });
  }

  return (
    <fieldset>
      <legend className="mb-3 flex w-full flex-wrap items-center justify-between gap-2 text-sm font-medium text-slate-700">
        <span>
          Scopes ({selected.length} of {row.scopes.length} selected)
        </span>
        <span className="flex gap-1">
          <Button variant="ghost" size="sm" onClick={() => setSelected(row.scopes.map((s) => s.name))}>
            Select all
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setSelected([])}>
            None
          </Button>
        </span>
      </legend>
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {row.scopes.map((scope) => {
          const id = `scope-${row.apiId}-${row.applicationId}-${scope.name}`;
          return (
            <div
              key={scope.name}
              className="flex items-start gap-2 rounded-md border border-slate-200 px-3 py-2 has-[:checked]:border-brand-200 has-[:checked]:bg-brand-50"
            >
              <input
                id={id}
                type="checkbox"
                className="mt-0.5 size-4 accent-[#2753e0]"
                checked={selected.includes(scope.name)}
                onChange={(e) => toggle(scope.name, e.target.checked)}
                aria-describedby={`${id}-desc`}
              />
              <div className="min-w-0">
                <label htmlFor={id} className="block font-mono text-xs font-medium text-slate-900">
                  {scope.name}
                </label>
                <p id={`${id}-desc`} className="truncate text-xs text-slate-600">
                  {scope.description || "No description"}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      <div className="mt-4 flex items-center justify-end gap-3">
        {dirty ? <span className="text-xs text-amber-800">Unsaved changes</span> : null}
        <Button onClick={save} disabled={!dirty || pending}>
          {pending ? "Saving…" : "Save scopes"}
        </Button>
      </div>
    </fieldset>
  );
}
