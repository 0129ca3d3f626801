import type { ReactNode } from "react";

type CardProps = {
  title?: string;
  description?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  tone?: "default" | "danger" | "warning";
  className?: string;
};

export function Card({ title, description, children, actions, tone = "default", className = "" }: CardProps) {
  const border = tone === "danger" ? "border-red-200" : tone === "warning" ? "border-amber-200" : "border-slate-200";
  return (
    <section className={`rounded-xl border ${border} bg-surface shadow-sm ${className}`} aria-label={title}>
      {title ? (
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 px-5 py-4">
          <div className="min-w-0">
            <h2 className={`text-base font-semibold ${tone === "danger" ? "text-red-700" : tone === "warning" ? "text-amber-800" : "text-slate-900"}`}>
              {title}
            </h2>
            {description ? <div className="mt-0.5 text-sm text-slate-500">{description}</div> : null}
          </div>
          {actions}
        </header>
      ) : null}
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}
