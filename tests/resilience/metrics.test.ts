// Prometheus metrics: on a port of their own bound to loopback, never on the
// public port; the exposition parses as the text format; the token counters
// move by exactly the requests sent, per outcome — also summed over the
// processes of `--workers 2`.
import assert from "node:assert/strict";
import http from "node:http";
import os from "node:os";
import { after, test } from "node:test";
import { freePort } from "../../lib/runtime/free-port";
import { startServer, TEST_ENCRYPTION_KEY, type TestServer } from "../harness/server";
import { seedClient } from "./support";

const servers: TestServer[] = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const server of servers.reverse()) await server.stop();
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every
 * line is a HELP or TYPE comment or a sample; every sample belongs to a family
 * with a TYPE; label values are quoted with \\, \" and \n escapes. Throws on
 * anything else.
 */
function parseExposition(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|\+Inf|-Inf|NaN))( -?\d+)?$/;
  const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === "TYPE") {
        assert.match(comment[3]!, /^(counter|gauge|histogram|summary|untyped)$/, line);
        types.set(comment[2]!, comment[3]!);
      }
      continue;
    }
    const m = sampleLine.exec(line);
    assert.ok(m, `not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    let rest = m[3] ?? "";
    while (rest) {
      const l = label.exec(rest);
      assert.ok(l, `bad labels in ${JSON.stringify(line)}`);
      labels[l[1]!] = l[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
      rest = rest.slice(l[0].length);
    }
    const family = m[1]!.replace(/_(bucket|sum|count|total|created)$/, "");
    assert.ok(types.has(m[1]!) || types.has(family), `sample without a TYPE: ${m[1]}`);
    samples.push({ name: m[1]!, labels, value: Number(m[4]!.replace("+Inf", "Infinity").replace("-Inf", "-Infinity")) });
  }
  return samples;
}

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

function value(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.reduce((sum, s) => sum + s.value, 0);
}

/** A token request on a connection of its own (so a cluster spreads them over its workers). */
function token(url: string, body: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

test("metrics on their own loopback port count token requests exactly, per outcome; --workers 2 sums its processes", { timeout: 170_000 }, async () => {
  const metricsPort = await freePort();
  const server = await startServer({ name: "metrics", env: { GRANTRY_METRICS_PORT: String(metricsPort) } });
  servers.push(server);
  process.env.DATABASE_URL = server.env.DATABASE_URL;
  process.env.GRANTRY_URL = server.url;
  process.env.GRANTRY_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
  const { app, api, tenant } = await seedClient();
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const good = { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, audience: api.identifier };
  const wrongSecret = { ...good, client_secret: "not the secret at all" };
  const unknownAudience = { ...good, audience: "https://nobody.example.com/api" };

  const ok = { tenant: tenant.slug, outcome: "ok" };
  const badClient = { tenant: tenant.slug, outcome: "invalid_client" };
  const badTarget = { tenant: tenant.slug, outcome: "invalid_target" };
  assert.equal(await token(tenant.tokenUrl, good), 200, "warm the cache");
  const before = await scrape(metricsUrl);
  for (let i = 0; i < 5; i++) assert.equal(await token(tenant.tokenUrl, good), 200);
  for (let i = 0; i < 3; i++) assert.equal(await token(tenant.tokenUrl, wrongSecret), 401);
  for (let i = 0; i < 2; i++) assert.equal(await token(tenant.tokenUrl, unknownAudience), 400);
  const afterSingle = await scrape(metricsUrl);
  const delta = (after: Sample[], name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
  assert.equal(delta(afterSingle, "grantry_token_requests_total", ok), 5);
  assert.equal(delta(afterSingle, "grantry_token_requests_total", badClient), 3);
  assert.equal(delta(afterSingle, "grantry_token_requests_total", badTarget), 2);
  assert.equal(delta(afterSingle, "grantry_token_request_duration_seconds_count", { outcome: "ok" }), 5);
  assert.equal(delta(afterSingle, "grantry_token_signing_duration_seconds_count", {}), 5, "a signature per token issued, none for refusals");
  for (const name of [
    "process_cpu_seconds_total",
    "nodejs_eventloop_lag_seconds",
    "grantry_db_pool_connections",
    "grantry_usage_flush_lag_seconds",
    "grantry_config_cache_requests_total",
  ]) {
    assert.ok(
      afterSingle.some((s) => s.name === name),
      `${name} is exported`,
    );
  }
  assert.ok(value(afterSingle, "grantry_config_cache_requests_total", { result: "hit" }) > 0, "cache hits are counted");

  // Never on the public port.
  const publicMetrics = await fetch(`${server.url}/metrics`);
  assert.equal(publicMetrics.status, 404);
  assert.doesNotMatch(await publicMetrics.text(), /grantry_token_requests_total/);
  assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/`)).status, 404, "only /metrics on the metrics port");
  // Bound to loopback: the machine's other addresses refuse the metrics port.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal);
  if (external) await assert.rejects(fetch(`http://${external.address}:${metricsPort}/metrics`), "not reachable on " + external.address);

  // --workers 2 on the same database: the primary serves the sum over both workers.
  const clusterMetricsPort = await freePort();
  const clustered = await startServer({
    name: "metrics-workers",
    env: { GRANTRY_DATA_DIR: server.env.GRANTRY_DATA_DIR!, GRANTRY_WORKERS: "2", GRANTRY_METRICS_PORT: String(clusterMetricsPort) },
  });
  servers.push(clustered);
  const clusterUrl = `http://127.0.0.1:${clusterMetricsPort}/metrics`;
  const clusterTokenUrl = tenant.tokenUrl.replace(server.url, clustered.url);
  assert.equal(await token(clusterTokenUrl, good), 200, "warm the cache");
  const clusterBefore = await scrape(clusterUrl);
  for (let i = 0; i < 20; i++) assert.equal(await token(clusterTokenUrl, good), 200);
  for (let i = 0; i < 4; i++) assert.equal(await token(clusterTokenUrl, wrongSecret), 401);
  const clusterAfter = await scrape(clusterUrl);
  assert.equal(value(clusterAfter, "grantry_token_requests_total", ok) - value(clusterBefore, "grantry_token_requests_total", ok), 20);
  assert.equal(value(clusterAfter, "grantry_token_requests_total", badClient) - value(clusterBefore, "grantry_token_requests_total", badClient), 4);
});
