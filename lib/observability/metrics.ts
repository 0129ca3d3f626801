// Prometheus metrics (prom-client) for operators. Served on a port of their
// own (GRANTRY_METRICS_PORT; lib/observability/metrics-server.ts), bound to
// loopback by default, never on the public port: the figures name tenants.
// Kept in prom-client's global registry, which its cluster support aggregates
// across `--workers` processes, and on globalThis because server.ts and
// Next's bundle load separate copies of this module.
//
// On the token path each request costs a few counter increments (the request,
// its cache lookups) and two histogram observations (latency, signing); nothing else.
import cluster from "node:cluster";
import client from "prom-client";

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

function create() {
  const register = client.register;
  client.collectDefaultMetrics({ register });
  // A cluster worker answers the primary's requests for its figures only once an AggregatorRegistry exists in it.
  if (cluster.isWorker) new client.AggregatorRegistry();
  const tokenRequests = new client.Counter({
    name: "grantry_token_requests_total",
    help: "Token requests by tenant and outcome (ok, or the OAuth error code)",
    labelNames: ["tenant", "outcome"] as const,
  });
  const tokenDuration = new client.Histogram({
    name: "grantry_token_request_duration_seconds",
    help: "Time to answer a token request, by outcome",
    labelNames: ["outcome"] as const,
    buckets: LATENCY_BUCKETS,
  });
  const signing = new client.Histogram({
    name: "grantry_token_signing_duration_seconds",
    help: "Time to sign an access token",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05],
  });
  const cache = new client.Counter({
    name: "grantry_config_cache_requests_total",
    help: "Token path configuration lookups: hit (fresh), stale (served while a background check runs), wait (waited for the database)",
    labelNames: ["result"] as const,
  });
  const freshnessFailures = new client.Counter({
    name: "grantry_config_freshness_failures_total",
    help: "Background checks of a cached configuration against the database that failed",
  });
  const dbLoad = new client.Histogram({
    name: "grantry_db_load_duration_seconds",
    help: "Database round trips of the token path's configuration loads, by kind",
    labelNames: ["kind"] as const,
    buckets: LATENCY_BUCKETS,
  });
  const dbErrors = new client.Counter({
    name: "grantry_db_errors_total",
    help: "Database operations that failed, by operation",
    labelNames: ["operation"] as const,
  });
  const redis = new client.Histogram({
    name: "grantry_redis_command_duration_seconds",
    help: "Redis round trips (rate limits, quotas)",
    buckets: LATENCY_BUCKETS,
  });
  const redisErrors = new client.Counter({ name: "grantry_redis_errors_total", help: "Redis commands that failed or timed out" });
  const tokenLogDropped = new client.Counter({
    name: "grantry_token_log_dropped_total",
    help: "Token log entries dropped: the queue was full (the database could not keep up) or a batch could not be written",
    labelNames: ["reason"] as const,
  });
  // Read when scraped, from what the modules that own the facts provide (no cost per request).
  const sources: { usageLagSeconds?: () => number; tokenLogPending?: () => number; pool?: () => { total: number; idle: number; waiting: number } } = {};
  new client.Gauge({
    name: "grantry_usage_flush_lag_seconds",
    help: "Age of the oldest token usage count not yet written to the database (0 when none waits)",
    collect() {
      this.set(sources.usageLagSeconds?.() ?? 0);
    },
  });
  new client.Gauge({
    name: "grantry_token_log_pending",
    help: "Token log entries queued in memory, not yet written",
    collect() {
      this.set(sources.tokenLogPending?.() ?? 0);
    },
  });
  new client.Gauge({
    name: "grantry_db_pool_connections",
    help: "Database pool connections of this process: total, idle, and queries waiting for one (waiting > 0 for long: the pool is saturated)",
    labelNames: ["state"] as const,
    collect() {
      const pool = sources.pool?.();
      if (!pool) return;
      this.labels("total").set(pool.total);
      this.labels("idle").set(pool.idle);
      this.labels("waiting").set(pool.waiting);
    },
  });
  return {
    register,
    tokenRequests,
    tokenDuration,
    signing,
    cacheHit: cache.labels("hit"),
    cacheStale: cache.labels("stale"),
    cacheWait: cache.labels("wait"),
    freshnessFailures,
    dbLoad,
    dbErrors,
    redis,
    redisErrors,
    tokenLogDropped,
    sources,
  };
}

export type Metrics = ReturnType<typeof create>;
const g = globalThis as unknown as { __grantryMetrics?: Metrics };

export function metrics(): Metrics {
  return (g.__grantryMetrics ??= create());
}

/** Observes one token request: `started` from performance.now(). */
export function observeTokenRequest(tenant: string, outcome: string, started: number): void {
  const m = metrics();
  m.tokenRequests.labels(tenant, outcome).inc();
  m.tokenDuration.labels(outcome).observe((performance.now() - started) / 1000);
}

/** Runs `work`, reporting its duration in seconds to `observe`, and a failure to `failed`. */
export async function timed<T>(work: () => Promise<T>, observe: (seconds: number) => void, failed?: () => void): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } catch (error) {
    failed?.();
    throw error;
  } finally {
    observe((performance.now() - started) / 1000);
  }
}
