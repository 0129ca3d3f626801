// Token quotas per application and per grant (tokens per UTC hour and day),
// enforced (429) or log-only (issued, counted and flagged). Counted in this
// process's memory by default, in Redis when REDIS_URL is set so that several
// instances share one count. Only requests that would be issued a token are
// charged, after every other check has passed.
import { env } from "@/lib/env";
import { type QuotaDecision, type QuotaSubject, bucketsOf } from "./buckets";
import { memoryCounters } from "./memory";
import { redisCounters } from "./redis";

export { quotaHeaders, quotaPolicy, type QuotaDecision, type QuotaPolicy, type QuotaSubject } from "./buckets";

type Counters = { charge: (buckets: ReturnType<typeof bucketsOf>) => QuotaDecision | Promise<QuotaDecision> };
// On globalThis: the fast path and Next's bundle must count into one store.
const g = globalThis as unknown as { __grantryQuotaCounters?: Counters };

function counters(): Counters {
  if (g.__grantryQuotaCounters) return g.__grantryQuotaCounters;
  const url = env().REDIS_URL;
  return (g.__grantryQuotaCounters = url ? redisCounters(url) : memoryCounters());
}

/** Charges one token to every subject's buckets, or refuses it without charging any. */
export function chargeQuotas(subjects: readonly QuotaSubject[], now = Date.now()): QuotaDecision | Promise<QuotaDecision> {
  return counters().charge(bucketsOf(subjects, now));
}
