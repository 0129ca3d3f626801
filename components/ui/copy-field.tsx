"use client";
import { CopyButton } from "./copy-button";

/** A read-only value with a copy button, labelled for screen readers. */
export function CopyField({ label, value, id, secret = false }: { label: string; value: string; id?: string; secret?: boolean }) {
  const fieldId = id ?? `copy-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <div className="space-y-1">
      <label htmlFor={fieldId} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={fieldId}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className={`block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900 ${secret ? "tracking-tight" : ""}`}
        />
        <CopyButton value={value} label={label} />
      </div>
    </div>
  );
}
