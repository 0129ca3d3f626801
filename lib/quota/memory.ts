// Quota counters in this process's memory: synchronous, so the token path
// stays free of awaits. One entry per bucket of a subject; a new window
// replaces the old one's count, so the map never holds more than one window
// per quota'd subject and period.
import { type QuotaBucket, type QuotaDecision, decide, refuses } from "./buckets";

type Counter = { window: number; count: number };

export function memoryCounters() {
  const counters = new Map<string, Counter>();
  const slot = (b: QuotaBucket) => `${b.subject.kind}:${b.subject.id}:${b.period}`;
  const countOf = (b: QuotaBucket) => {
    const c = counters.get(slot(b));
    return c && c.window === b.window ? c.count : 0;
  };
  return {
    charge(buckets: QuotaBucket[]): QuotaDecision {
      const before = buckets.map(countOf);
      const allowed = !buckets.some((b, i) => refuses(b, before[i]!));
      if (allowed) buckets.forEach((b, i) => counters.set(slot(b), { window: b.window, count: before[i]! + 1 }));
      return decide(buckets, before, allowed);
    },
  };
}
