import { Card } from "@/components/ui/card";
import type { UsageSummary } from "@/lib/domain/usage";
import { describeOAuthError } from "@/components/oauth-errors";
import { UsageChart } from "./usage-chart";

function Stat({ label, value, tone }: { label: string; value: number; tone?: "danger" }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-surface px-5 py-4 shadow-sm">
      <p className="text-sm text-slate-500">{label}</p>
      <p className={`mt-1 text-2xl font-semibold tabular-nums ${tone === "danger" && value > 0 ? "text-red-700" : "text-slate-900"}`}>{value.toLocaleString("en")}</p>
    </div>
  );
}

/** The Usage tab: totals, the per-day chart and failures by RFC 6749 error code. */
export function UsagePanel({ usage }: { usage: UsageSummary }) {
  const total = usage.issued + usage.failed;
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Tokens issued (30 days)" value={usage.issued} />
        <Stat label="Failed requests (30 days)" value={usage.failed} tone="danger" />
        <Stat label="Success rate (%)" value={total ? Math.round((usage.issued / total) * 1000) / 10 : 100} />
      </div>
      <Card title="Token requests per day" description="Last 30 days, UTC. Counters are written in batches, so the last few seconds may not show yet.">
        {total === 0 ? <p className="mb-2 text-sm text-slate-500">No token requests in the last 30 days. Request a token (see the Quickstart tab) and it appears here.</p> : null}
        <UsageChart days={usage.days} />
      </Card>
      <Card title="Failures by error code">
        {usage.failuresByCode.length === 0 ? (
          <p className="text-sm text-slate-500">No failed requests.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className="py-2">Error</th>
                <th scope="col" className="py-2">Meaning</th>
                <th scope="col" className="py-2 text-right">Requests</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {usage.failuresByCode.map((f) => (
                <tr key={f.code}>
                  <td className="py-2 font-mono text-xs text-red-700">{f.code}</td>
                  <td className="py-2 pr-4 text-slate-600">{describeOAuthError(f.code).title}</td>
                  <td className="py-2 text-right tabular-nums">{f.count.toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
