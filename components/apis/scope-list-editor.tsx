"use client";
import { Plus, X } from "lucide-react";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

type Row = { key: number; name: string; description: string };

/**
 * The scopes of a new API, as rows named `scopes.{i}.name` and
 * `scopes.{i}.description`: the Management API's `scopes[i]`, so the domain's
 * errors land on the row's inputs. Blank rows are ignored on submit.
 */
export function ScopeListEditor({ errors }: { errors: Record<string, string> }) {
  const next = useRef(1);
  const [rows, setRows] = useState<Row[]>([{ key: 0, name: "", description: "" }]);
  const listRef = useRef<HTMLOListElement>(null);
  const update = (key: number, patch: Partial<Row>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  function add() {
    setRows((all) => [...all, { key: next.current++, name: "", description: "" }]);
    // Focus the new row's scope input once it is rendered.
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLInputElement>("li:last-child input")?.focus());
  }

  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-700">Scopes</legend>
      <p className="text-xs text-slate-500">
        The permissions applications can be granted, e.g. <code className="font-mono">read:orders</code>. You can add more later in the Scopes tab.
      </p>
      {errors.scopes ? (
        <p role="alert" className="text-xs text-red-600">
          {errors.scopes}
        </p>
      ) : null}
      <ol ref={listRef} className="space-y-3">
        {rows.map((row, i) => (
          <li key={row.key} className="grid items-start gap-3 sm:grid-cols-[1fr_2fr_auto]">
            <Field
              label={`Scope ${i + 1}`}
              name={`scopes.${i}.name`}
              value={row.name}
              onChange={(e) => update(row.key, { name: e.target.value })}
              placeholder="read:orders"
              autoComplete="off"
              error={errors[`scopes.${i}.name`]}
            />
            <Field
              label={`Description of scope ${i + 1}`}
              name={`scopes.${i}.description`}
              value={row.description}
              onChange={(e) => update(row.key, { description: e.target.value })}
              placeholder="Read orders"
              autoComplete="off"
              error={errors[`scopes.${i}.description`]}
            />
            <Button
              variant="ghost"
              className="sm:mt-6"
              aria-label={`Remove scope ${i + 1}${row.name ? ` (${row.name})` : ""}`}
              onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}
            >
              <X aria-hidden className="size-4" />
            </Button>
          </li>
        ))}
      </ol>
      <Button variant="secondary" size="sm" onClick={add}>
        <Plus aria-hidden className="size-4" /> {rows.length ? "Add another scope" : "Add a scope"}
      </Button>
    </fieldset>
  );
}
