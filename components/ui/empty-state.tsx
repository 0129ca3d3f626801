import type { ReactNode } from "react";

/** What to show when a list is empty: what this is and what to do next. */
export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed border-slate-300 bg-surface px-6 py-12 text-center">
      {icon ? <div className="rounded-full bg-brand-50 p-3 text-brand-700">{icon}</div> : null}
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {children ? <div className="max-w-md text-sm text-slate-500">{children}</div> : null}
      {action}
    </div>
  );
}
