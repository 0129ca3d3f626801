// The metrics endpoint: GET /metrics on GRANTRY_METRICS_PORT, bound to
// GRANTRY_METRICS_HOST (127.0.0.1 by default) — a listener of its own, so the
// public port never serves it. With `--workers`, the cluster primary serves
// the sum over its workers (prom-client's AggregatorRegistry asks each over IPC).
import http from "node:http";
import client from "prom-client";
import { env } from "@/lib/env";
import { metrics } from "./metrics";
import { log } from "./log";

export type MetricsServer = { url: string; close: () => Promise<void> };

/** GRANTRY_METRICS_PORT (validated by lib/env.ts), or null: no metrics listener. */
export function metricsPort(): number | null {
  return env().GRANTRY_METRICS_PORT ?? null;
}

/** Serves this process's metrics, or with `cluster` the aggregate of the cluster's workers. */
export function startMetricsServer(port: number, options: { cluster?: boolean } = {}): Promise<MetricsServer> {
  const host = env().GRANTRY_METRICS_HOST;
  const aggregator = options.cluster ? new client.AggregatorRegistry() : null;
  const own = options.cluster ? null : metrics().register;
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the metrics are at /metrics\n");
      return;
    }
    const text = aggregator ? aggregator.clusterMetrics() : own!.metrics();
    text.then(
      (body) => res.writeHead(200, { "content-type": (aggregator ? client.AggregatorRegistry : client.Registry).PROMETHEUS_CONTENT_TYPE }).end(body),
      (error: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics unavailable: ${error.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: Error) => reject(new Error(`cannot serve metrics on ${host}:${port} (GRANTRY_METRICS_PORT): ${error.message}`)));
    server.listen(port, host, () => {
      const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/metrics`;
      log().info(`Metrics on ${url}`);
      resolve({ url, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
