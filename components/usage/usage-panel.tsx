import { Card } from "@/components/ui/card";
import type { UsageSummary } from "@/lib/domain/usage";
import { describeOAuthError } from "@/components/oauth-errors";
import { FailuresChart, UsageChart } from "./usage-chart";

const TONES = { danger: "text-red-700", warning: "text-amber-700" } as const;

function Stat({ label, value, tone }: { label: string; value: number; tone?: keyof typeof TONES }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-surface px-5 py-4 shadow-sm">
      <p className="text-sm text-slate-500">{label}</p>
      <p className={`mt-1 text-2xl font-semibold tabular-nums ${tone && value > 0 ? TONES[tone] : "text-slate-900"}`}>{value.toLocaleString("en")}</p>
    </div>
  );
}

/** Days on which tokens were issued over a log-only quota: the flag an admin acts on. */
function OverQuota({ usage }: { usage: UsageSummary }) {
  const days = usage.days.filter((d) => d.flagged > 0).reverse();
  if (!days.length) return null;
  return (
    <Card
      title="Over quota (log-only)"
      tone="warning"
      description="Tokens issued past a log-only quota of this application or one of its grants. Switch the quota to enforce to refuse them (429)."
    >
      <table className="w-full text-left text-sm" aria-label="Tokens issued over quota per day">
        <thead className="text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="py-2">
              Day (UTC)
            </th>
            <th scope="col" className="py-2 text-right">
              Issued over quota
            </th>
            <th scope="col" className="py-2 text-right">
              Issued in all
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {days.map((d) => (
            <tr key={d.day}>
              <td className="py-2 font-mono text-xs">{d.day}</td>
              <td className="py-2 text-right text-amber-700 tabular-nums">{d.flagged.toLocaleString("en")}</td>
              <td className="py-2 text-right tabular-nums">{d.issued.toLocaleString("en")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** The Usage tab: totals, tokens issued per day, and failed requests per day by RFC 6749 error code. */
export function UsagePanel({ usage }: { usage: UsageSummary }) {
  const total = usage.issued + usage.failed;
  return (
    <div className="space-y-6">
      <div className={`grid gap-4 ${usage.flagged ? "sm:grid-cols-4" : "sm:grid-cols-3"}`}>
        <Stat label="Tokens issued (30 days)" value={usage.issued} />
        {usage.flagged ? <Stat label="Issued over quota (30 days)" value={usage.flagged} tone="warning" /> : null}
        <Stat label="Failed requests (30 days)" value={usage.failed} tone="danger" />
        <Stat label="Success rate (%)" value={total ? Math.round((usage.issued / total) * 1000) / 10 : 100} />
      </div>
      <Card title="Tokens issued per day" description="Last 30 days, UTC. Counters are written in batches, so the last few seconds may not show yet.">
        {total === 0 ? (
          <p className="mb-2 text-sm text-slate-500">No token requests in the last 30 days. Request a token (see the Quickstart tab) and it appears here.</p>
        ) : null}
        <UsageChart days={usage.days} />
      </Card>
      <OverQuota usage={usage} />
      <Card title="Failures by error code" description="Failed token requests per day, by the RFC 6749 error code the token endpoint answered.">
        {usage.failuresByCode.length === 0 ? (
          <p className="text-sm text-slate-500">No failed requests in the last 30 days.</p>
        ) : (
          <>
            <FailuresChart days={usage.days} codes={usage.failuresByCode} />
            <table className="mt-4 w-full text-left text-sm" aria-label="Failed requests by error code (30 days)">
              <thead className="text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="py-2">
                    Error
                  </th>
                  <th scope="col" className="py-2">
                    Meaning
                  </th>
                  <th scope="col" className="py-2 text-right">
                    Requests
                  </th>
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
          </>
        )}
      </Card>
    </div>
  );
}
