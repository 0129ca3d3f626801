// OpenTelemetry: with OTEL_EXPORTER_OTLP_ENDPOINT set, the server exports
// spans over OTLP/HTTP (JSON) to a collector — here a loopback receiver — for
// the token path (the caller's traceparent continued, signing as a child span)
// and the Management API (its span a child of the front server's, which
// answers it), with no secret in any attribute.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { after, test } from "node:test";
import { freePort } from "../../lib/runtime/free-port";
import { seedClient, serversOnPostgres, stopSharedPostgres, tokenRequest } from "./support";

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: AnyValue }>;
  status?: { code?: number };
};
type Received = { span: OtlpSpan; resource: Record<string, unknown> };

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const fn of cleanups.reverse()) await fn();
  stopSharedPostgres();
});

function attributes(span: OtlpSpan): Record<string, unknown> {
  return Object.fromEntries(
    (span.attributes ?? []).map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.boolValue)]),
  );
}

/** A minimal OTLP/HTTP JSON collector: every span posted to /v1/traces, and every raw body (for the secret scan). */
async function collector() {
  const spans: Received[] = [];
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces" && req.method === "POST") {
        bodies.push(body);
        const parsed = JSON.parse(body) as {
          resourceSpans: Array<{ resource?: { attributes?: OtlpSpan["attributes"] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
        };
        for (const rs of parsed.resourceSpans) {
          const resource = attributes({ attributes: rs.resource?.attributes } as OtlpSpan);
          for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ span, resource });
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${port}`, spans, bodies };
}

async function until<T>(what: string, find: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("token requests and Management API calls are exported as spans of the caller's trace, without secrets", { timeout: 150_000 }, async () => {
  const otlp = await collector();
  const fixture = await serversOnPostgres("tracing", 1, {
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_BSP_SCHEDULE_DELAY: "100",
    OTEL_SERVICE_NAME: "grantry-test",
  });
  cleanups.push(fixture.stop);
  const server = fixture.servers[0]!;
  const { app, api, tenant } = await seedClient();
  const tokenUrl = tenant.tokenUrl.replace(/^https?:\/\/[^/]+/, server.url);

  // The caller's trace: its id must carry through.
  const traceId = randomBytes(16).toString("hex");
  const callerSpan = randomBytes(8).toString("hex");
  const issued = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/json", traceparent: `00-${traceId}-${callerSpan}-01` },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, audience: api.identifier }),
  });
  assert.equal(issued.status, 200);
  const accessToken = ((await issued.json()) as { access_token: string }).access_token;

  const tokenSpan = await until("token span", () => otlp.spans.find((r) => r.span.traceId === traceId && r.span.name === "POST /oauth/token"));
  assert.equal(tokenSpan.span.parentSpanId, callerSpan, "the caller's span is the parent");
  assert.equal(tokenSpan.span.kind, 2, "a SERVER span");
  assert.equal(tokenSpan.resource["service.name"], "grantry-test");
  const attrs = attributes(tokenSpan.span);
  assert.equal(attrs["http.route"], "/oauth/token");
  assert.equal(attrs["grantry.tenant"], tenant.slug);
  assert.equal(attrs["oauth.client_id"], app.clientId);
  assert.equal(attrs["oauth.outcome"], "ok");
  assert.equal(attrs["http.response.status_code"], 200);
  assert.equal(typeof attrs["grantry.request_id"], "string");
  const sign = await until("signing span", () => otlp.spans.find((r) => r.span.traceId === traceId && r.span.name === "jwt.sign"));
  assert.equal(sign.span.parentSpanId, tokenSpan.span.spanId);

  // A refused request: its outcome is on its span.
  const refused = await tokenRequest(tokenUrl, app.clientId, `${app.clientSecret}x`, api.identifier);
  assert.equal(refused.status, 401);
  const refusedId = refused.headers.get("x-request-id");
  const refusedSpan = await until("refused span", () => otlp.spans.find((r) => attributes(r.span)["grantry.request_id"] === refusedId));
  assert.equal(attributes(refusedSpan.span)["oauth.outcome"], "invalid_client");

  // The Management API: a client granted it calls it with a token; its span is a child of the front server's.
  const { listApis } = await import("../../lib/domain/apis");
  const { setGrant } = await import("../../lib/domain/grants");
  const { SYSTEM_ACTOR } = await import("../../lib/domain/audit");
  const management = (await listApis(tenant.id)).find((a) => a.kind === "management")!;
  await setGrant(tenant.id, { application_id: app.id, api_id: management.id, scopes: ["read:applications"] }, SYSTEM_ACTOR);
  // The Management API's audience is the tenant's issuer; the grant reaches the token endpoint's cache at once (same process tree).
  let mgmtToken = "";
  for (let i = 0; i < 50 && !mgmtToken; i++) {
    const res = await tokenRequest(tokenUrl, app.clientId, app.clientSecret, tenant.issuer);
    if (res.status === 200) mgmtToken = ((await res.json()) as { access_token: string }).access_token;
    else await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(mgmtToken, "a Management API token was issued");
  const mgmtTrace = randomBytes(16).toString("hex");
  const listed = await fetch(`${server.url}/t/${tenant.slug}/api/v1/applications`, {
    headers: { authorization: `Bearer ${mgmtToken}`, traceparent: `00-${mgmtTrace}-${callerSpan}-01` },
  });
  assert.equal(listed.status, 200);
  const front = await until("front span", () => otlp.spans.find((r) => r.span.traceId === mgmtTrace && r.span.kind === 2));
  const handler = await until("Management API span", () => otlp.spans.find((r) => r.span.traceId === mgmtTrace && r.span.name === "management api"));
  assert.equal(handler.span.parentSpanId, front.span.spanId, "the Management API's span continues the front server's");
  assert.equal(handler.resource["process.pid"], front.resource["process.pid"], "answered by the front server, not handed to Next.js");
  const handlerAttrs = attributes(handler.span);
  assert.equal(handlerAttrs["grantry.operation"], "listApplications");
  assert.equal(handlerAttrs["grantry.tenant"], tenant.slug);
  assert.equal(handlerAttrs["oauth.client_id"], app.clientId);
  assert.equal(handlerAttrs["http.response.status_code"], 200);

  const exported = otlp.bodies.join("\n");
  for (const secret of [app.clientSecret, accessToken, mgmtToken]) assert.ok(!exported.includes(secret), "no secret or token in any span");
});
