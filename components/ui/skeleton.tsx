/**
 * What a page shows while its server render streams in: grey bars in the
 * shape of a card, announced once to screen readers as "Loading…".
 */
export function Skeleton({ rows = 4, header = false }: { rows?: number; header?: boolean }) {
  return (
    <div role="status" aria-label="Loading…" aria-live="polite" className="animate-pulse space-y-6">
      <span className="sr-only">Loading…</span>
      {header ? (
        <div aria-hidden className="space-y-2">
          <div className="h-7 w-48 rounded-md bg-slate-200" />
          <div className="h-4 w-80 max-w-full rounded-md bg-slate-100" />
        </div>
      ) : null}
      <div aria-hidden className="rounded-xl border border-slate-200 bg-surface p-5 shadow-sm">
        <div className="mb-5 h-5 w-40 rounded-md bg-slate-200" />
        <div className="space-y-3">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="h-4 rounded-md bg-slate-100" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
          ))}
        </div>
      </div>
    </div>
  );
}
