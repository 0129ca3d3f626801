"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageDay } from "@/lib/domain/usage";

const ISSUED = "#2753e0";
const FLAGGED = "#d97706";
const FAILED = "#e11d48";

/** Tokens issued (within quota, then over a log-only quota) and failed requests per day, stacked. */
export function UsageChart({ days }: { days: UsageDay[] }) {
  const data = days.map((d) => ({ ...d, withinQuota: d.issued - d.flagged, label: d.day.slice(5) }));
  const anyFlagged = days.some((d) => d.flagged > 0);
  return (
    <div className="h-72 w-full" role="img" aria-label={`Tokens issued per day over the last ${days.length} days`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.1} />
          <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={11} interval="preserveStartEnd" minTickGap={12} stroke="#94a3b8" />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={11} stroke="#94a3b8" />
          <Tooltip cursor={{ fillOpacity: 0.06 }} contentStyle={{ borderRadius: 8, fontSize: 12 }} labelFormatter={(_, p) => String(p?.[0]?.payload?.day ?? "")} />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="withinQuota" name="Tokens issued" stackId="a" fill={ISSUED} radius={[0, 0, 0, 0]} maxBarSize={28} isAnimationActive={false} />
          {anyFlagged ? <Bar dataKey="flagged" name="Issued over quota (log-only)" stackId="a" fill={FLAGGED} maxBarSize={28} isAnimationActive={false} /> : null}
          <Bar dataKey="failed" name="Failed requests" stackId="a" fill={FAILED} radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
