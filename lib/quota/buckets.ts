// Token quotas as fixed windows: the UTC hour and the UTC day, as Auth0's
// fine-grained M2M quotas count them. A subject (an application or a grant)
// with a policy has one bucket per limit it sets; a request is charged to all
// buckets of all its subjects at once, or to none.

export type QuotaPolicy = { perHour: number | null; perDay: number | null; enforce: boolean };
export type QuotaSubject = { kind: "application" | "grant"; id: string; policy: QuotaPolicy };
export type QuotaPeriod = "per_hour" | "per_day";

export type QuotaBucket = {
  subject: QuotaSubject;
  period: QuotaPeriod;
  limit: number;
  /** Names the subject, the period and the window, so a new window starts at zero. */
  key: string;
  window: number;
  resetsInSeconds: number;
};

/** A bucket after the decision: `used` counts this request when it was allowed. */
export type ChargedBucket = QuotaBucket & { used: number };

export type QuotaDecision = {
  allowed: boolean;
  /** Allowed, but over a log-only limit: counted and flagged on the Usage tab. */
  flagged: boolean;
  buckets: ChargedBucket[];
  /** The enforced buckets that refused the request. */
  exceeded: ChargedBucket[];
};

const PERIOD_MS: Record<QuotaPeriod, number> = { per_hour: 3_600_000, per_day: 86_400_000 };

/** A policy only when it limits something. */
export function quotaPolicy(perHour: number | null, perDay: number | null, mode: "enforce" | "log"): QuotaPolicy | null {
  return perHour === null && perDay === null ? null : { perHour, perDay, enforce: mode === "enforce" };
}

export function bucketsOf(subjects: readonly QuotaSubject[], now: number): QuotaBucket[] {
  const buckets: QuotaBucket[] = [];
  for (const subject of subjects) {
    for (const [period, limit] of [
      ["per_hour", subject.policy.perHour],
      ["per_day", subject.policy.perDay],
    ] as const) {
      if (limit === null) continue;
      const size = PERIOD_MS[period];
      const window = Math.floor(now / size);
      buckets.push({
        subject,
        period,
        limit,
        window,
        key: `${subject.kind}:${subject.id}:${period}:${window}`,
        resetsInSeconds: Math.max(1, Math.ceil(((window + 1) * size - now) / 1000)),
      });
    }
  }
  return buckets;
}

/** Whether an enforced bucket with `count` tokens issued already refuses one more. */
export function refuses(bucket: QuotaBucket, count: number): boolean {
  return bucket.subject.policy.enforce && count >= bucket.limit;
}

/** The decision from the counts before this request, and the counts after it. */
export function decide(buckets: QuotaBucket[], before: number[], allowed: boolean): QuotaDecision {
  const charged = buckets.map((b, i) => ({ ...b, used: (before[i] ?? 0) + (allowed ? 1 : 0) }));
  return {
    allowed,
    flagged: allowed && charged.some((b) => b.used > b.limit),
    buckets: charged,
    exceeded: allowed ? [] : charged.filter((b, i) => refuses(b, before[i] ?? 0)),
  };
}

/**
 * Auth0's quota header format: `b=per_hour;q=10;r=7;t=3540,b=per_day;...`
 * (bucket, quota, remaining, seconds to reset), one header per subject kind.
 */
export function quotaHeaders(decision: QuotaDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ["application", "grant"] as const) {
    const value = decision.buckets
      .filter((b) => b.subject.kind === kind)
      .map((b) => `b=${b.period};q=${b.limit};r=${Math.max(0, b.limit - b.used)};t=${b.resetsInSeconds}`)
      .join(",");
    if (value) headers[kind === "application" ? "Grantry-Client-Quota-Limit" : "Grantry-Grant-Quota-Limit"] = value;
  }
  return headers;
}
