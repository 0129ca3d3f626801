"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageDay } from "@/lib/domain/usage";

const ISSUED = "#2753e0";
const FLAGGED = "#d97706";
/** One colour per error code, most frequent first: reds, then colours far from them. */
const FAILURE_COLOURS = ["#e11d48", "#7c3aed", "#ea580c", "#0891b2", "#be185d", "#65a30d", "#475569"];

function Chart({ label, data, children }: { label: string; data: object[]; children: React.ReactNode }) {
  return (
    <div className="h-72 w-full" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.1} />
          <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={11} interval="preserveStartEnd" minTickGap={12} stroke="#94a3b8" />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={11} stroke="#94a3b8" />
          <Tooltip
            cursor={{ fillOpacity: 0.06 }}
            contentStyle={{ borderRadius: 8, fontSize: 12 }}
            labelFormatter={(_, p) => String(p?.[0]?.payload?.day ?? "")}
          />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
          {children}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Tokens issued per day: within quota, then over a log-only quota, stacked. */
export function UsageChart({ days }: { days: UsageDay[] }) {
  const data = days.map((d) => ({ day: d.day, label: d.day.slice(5), withinQuota: d.issued - d.flagged, flagged: d.flagged }));
  const anyFlagged = days.some((d) => d.flagged > 0);
  return (
    <Chart label={`Tokens issued per day over the last ${days.length} days`} data={data}>
      <Bar
        dataKey="withinQuota"
        name="Tokens issued"
        stackId="a"
        fill={ISSUED}
        radius={anyFlagged ? [0, 0, 0, 0] : [3, 3, 0, 0]}
        maxBarSize={28}
        isAnimationActive={false}
      />
      {anyFlagged ? (
        <Bar dataKey="flagged" name="Issued over quota (log-only)" stackId="a" fill={FLAGGED} radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
      ) : null}
    </Chart>
  );
}

/** Failed token requests per day, one stacked bar segment per RFC 6749 error code (`codes`: most frequent first). */
export function FailuresChart({ days, codes }: { days: UsageDay[]; codes: Array<{ code: string; count: number }> }) {
  // Flat keys: recharts reads dataKey as a path, and codes are plain snake_case.
  const data = days.map((d) => ({
    day: d.day,
    label: d.day.slice(5),
    ...Object.fromEntries(codes.map(({ code }) => [`code_${code}`, d.failures[code] ?? 0])),
  }));
  const summary = codes.map(({ code, count }) => `${code} ${count.toLocaleString("en")}`).join(", ");
  return (
    <Chart label={`Failed requests per day by error code over the last ${days.length} days: ${summary}`} data={data}>
      {codes.map(({ code }, i) => (
        <Bar
          key={code}
          dataKey={`code_${code}`}
          name={code}
          stackId="f"
          fill={FAILURE_COLOURS[i % FAILURE_COLOURS.length]}
          radius={i === codes.length - 1 ? [3, 3, 0, 0] : [0, 0, 0, 0]}
          maxBarSize={28}
          isAnimationActive={false}
        />
      ))}
    </Chart>
  );
}
