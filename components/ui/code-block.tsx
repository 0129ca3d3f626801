import { CopyButton } from "./copy-button";

/** A dark code panel with a copy button. */
export function CodeBlock({ code, label, language }: { code: string; label: string; language?: string }) {
  return (
    <div className="relative overflow-hidden rounded-lg border border-slate-800 bg-code">
      <div className="flex items-center justify-between border-b border-white/10 px-3 py-1.5">
        <span className="font-mono text-xs text-[#94a3b8]">{language ?? ""}</span>
        <CopyButton value={code} label={label} className="border-white/20 bg-white/5 text-[#cbd5e1] hover:bg-white/10 hover:text-white" />
      </div>
      <pre className="overflow-x-auto p-4 text-xs leading-relaxed text-[#e2e8f0]" aria-label={label} tabIndex={0}>
        <code>{code}</code>
      </pre>
    </div>
  );
}
