"use client";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

export type ScopeOption = { name: string; description: string };

type Props = {
  scopes: ScopeOption[];
  selected: string[];
  onChange: (selected: string[]) => void;
  /** Makes the checkboxes' ids unique on a page with several lists. */
  idPrefix: string;
  disabled?: boolean;
};

/** Past this many scopes the list gets a filter box. */
const FILTER_FROM = 5;

/**
 * The scopes of one API as checkboxes, with a filter (by name or description)
 * and Select all / None, which act on the scopes the filter shows. Controlled:
 * the caller saves the selection (the grant row, the create flow).
 */
export function ScopeChecklist({ scopes, selected, onChange, idPrefix, disabled = false }: Props) {
  const [filter, setFilter] = useState("");
  const filterId = useId();
  const needle = filter.trim().toLowerCase();
  const shown = needle ? scopes.filter((s) => s.name.toLowerCase().includes(needle) || s.description.toLowerCase().includes(needle)) : scopes;
  const shownNames = shown.map((s) => s.name);
  const toggle = (name: string, on: boolean) => onChange(on ? [...selected, name] : selected.filter((s) => s !== name));
  return (
    // min-w-0: a fieldset is at least as wide as its content by default, and a long description would widen the page.
    <fieldset disabled={disabled} className="min-w-0">
      <legend className="sr-only">Scopes</legend>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium text-slate-700" aria-live="polite">
          {selected.length} of {scopes.length} scopes selected
        </span>
        <span className="flex gap-1">
          <Button variant="ghost" size="sm" onClick={() => onChange([...new Set([...selected, ...shownNames])])}>
            Select all
            {needle ? <span className="sr-only"> shown</span> : null}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => onChange(selected.filter((s) => !shownNames.includes(s)))}>
            None
          </Button>
        </span>
      </div>
      {scopes.length >= FILTER_FROM ? (
        <div className="mb-3 max-w-sm">
          <label htmlFor={filterId} className="sr-only">
            Filter scopes
          </label>
          <input
            id={filterId}
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter scopes"
            className={inputClass}
            autoComplete="off"
          />
        </div>
      ) : null}
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {shown.map((scope) => {
          const id = `${idPrefix}-${scope.name}`;
          return (
            <div
              key={scope.name}
              className="flex min-w-0 items-start gap-2 rounded-md border border-slate-200 px-3 py-2 has-[:checked]:border-brand-200 has-[:checked]:bg-brand-50"
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
                <label htmlFor={id} className="block font-mono text-xs font-medium break-all text-slate-900">
                  {scope.name}
                </label>
                <p id={`${id}-desc`} className="truncate text-xs text-slate-600">
                  {scope.description || "No description"}
                </p>
              </div>
            </div>
          );
        })}
        {shown.length === 0 ? <p className="text-sm text-slate-500">No scope matches “{filter}”.</p> : null}
      </div>
    </fieldset>
  );
}
