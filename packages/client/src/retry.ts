// When to try a token request again, and after how long: exponential backoff
// with full jitter (so replicas that failed together do not retry together),
// and never sooner than the server's Retry-After (RFC 9110 §10.2.3).

export type RetryOptions = {
  /** Attempts after the first (default 3). */
  retries?: number;
  /** The first backoff's upper bound, doubled per attempt (default 200 ms). */
  minDelayMs?: number;
  /** The largest backoff (default 5 s). */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails with the error, and no request is sent before it passes (default 30 s). */
  maxRetryAfterMs?: number;
};

export type RetryPolicy = Required<RetryOptions>;

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    retries: options.retries ?? 3,
    minDelayMs: options.minDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 5000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
  };
}

/** Statuses worth another try: the request may succeed unchanged. */
export const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt));
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
