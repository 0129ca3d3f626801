import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { REFUSAL_EXPLANATIONS, REFUSAL_REASONS, type RefusalReason } from "@/lib/domain/refusal-reasons";
import type { TokenLogRecord } from "@/lib/domain/token-log";

/** A refusal's OAuth error code, and for a refused client assertion why (a fixed code, explained). */
function Outcome({ row }: { row: TokenLogRecord }) {
  if (row.outcome === "ok") return <Badge tone="success">Issued</Badge>;
  const reason = (REFUSAL_REASONS as readonly string[]).includes(row.reason) ? (row.reason as RefusalReason) : null;
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Badge tone="danger">{row.outcome}</Badge>
      {reason ? (
        <span className="text-xs text-slate-600">
          <code className="font-mono">{reason}</code>: {REFUSAL_EXPLANATIONS[reason]}
        </span>
      ) : null}
    </span>
  );
}

/** To the second: token requests come in bursts a minute cannot tell apart. */
const formatInstant = (date: Date) => `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;

function Application({ row, tenant }: { row: TokenLogRecord; tenant: string }) {
  if (row.application) {
    return (
      <Link href={`/dashboard/${tenant}/applications/${row.applicationId}`} className="font-medium break-words text-brand-700 hover:underline">
        {row.application.name}
      </Link>
    );
  }
  return <span className="text-slate-500">{row.applicationId ? "Deleted application" : "Unknown client"}</span>;
}

/** The token log's rows: names, never raw ids; a refusal's OAuth error code. */
export function TokenLogTable({ rows, tenant, showApplication = true }: { rows: TokenLogRecord[]; tenant: string; showApplication?: boolean }) {
  return (
    <div
      role="region"
      aria-label="Token requests (scrolls sideways on narrow screens)"
      tabIndex={0}
      className="overflow-x-auto rounded-xl border border-slate-200 bg-surface shadow-sm"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Token requests, newest first</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">
              When
            </th>
            {showApplication ? (
              <th scope="col" className="px-4 py-3">
                Application
              </th>
            ) : null}
            <th scope="col" className="px-4 py-3">
              API
            </th>
            <th scope="col" className="px-4 py-3">
              Outcome
            </th>
            <th scope="col" className="px-4 py-3">
              Scopes
            </th>
            <th scope="col" className="px-4 py-3">
              Client
            </th>
            <th scope="col" className="px-4 py-3 text-right">
              Latency
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {rows.map((r) => (
            <tr key={r.id} data-testid="token-request">
              <td className="px-4 py-3 whitespace-nowrap text-slate-600">
                {formatInstant(r.at)}
                {r.count > 1 ? (
                  <span className="block text-xs" title={`to ${formatInstant(r.lastAt)}`}>
                    × {r.count.toLocaleString("en")} identical
                  </span>
                ) : null}
              </td>
              {showApplication ? (
                <td className="px-4 py-3">
                  <Application row={r} tenant={tenant} />
                </td>
              ) : null}
              <td className="px-4 py-3 break-words text-slate-900">{r.api?.name ?? <span className="text-slate-500">—</span>}</td>
              <td className="px-4 py-3">
                <Outcome row={r} />
              </td>
              <td className="px-4 py-3 font-mono text-xs break-all text-slate-700">
                {r.outcome === "ok" ? r.scopeGranted || "(none)" : r.scopeRequested ? `asked: ${r.scopeRequested}` : "—"}
              </td>
              <td className="px-4 py-3 text-xs text-slate-600">
                <span className="block font-mono">{r.address || "—"}</span>
                <span className="block max-w-56 truncate" title={r.userAgent}>
                  {r.userAgent}
                </span>
              </td>
              <td className="px-4 py-3 text-right whitespace-nowrap text-slate-600">{r.latencyMs.toFixed(1)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
