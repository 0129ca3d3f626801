// OpenTelemetry traces of the token path and the Management API, exported over
// OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is set; the
// exporter reads the other standard OTEL_* variables (headers, timeout) itself.
// Unset, the SDK is never loaded and a request pays one null check. The SDK
// lives on globalThis: server.ts and Next's bundle load separate copies of
// this module in one process.
//
// Spans: one per request at the front server (the caller's W3C `traceparent`
// continued, and handed on to the Next.js process), `jwt.sign` inside a token
// request, and `management <operation>` in the Next.js process. Parents are
// passed explicitly, not through a global context manager: that would need
// async hooks on the token path, and would make Next.js's own instrumentation
// emit a trace per internal step.
import type { Context, Span, Tracer } from "@opentelemetry/api";
import type { IncomingHttpHeaders } from "node:http";
import { scrub } from "./log";
import { env, type Env } from "@/lib/env";

/** A request's header by lower-case name: node:http's headers and the Management API's request both give one. */
export type HeaderOf = (name: string) => string | undefined;

/** What the protocol (framework-free) may do with the trace of the request it serves. */
export type RequestTrace = {
  set(attributes: Record<string, string | number | boolean | undefined>): void;
  /** Runs `fn` in a child span named `name`. */
  child<T>(name: string, fn: () => Promise<T>): Promise<T>;
};

type Sdk = {
  api: typeof import("@opentelemetry/api");
  tracer: Tracer;
  propagator: import("@opentelemetry/core").W3CTraceContextPropagator;
  shutdown: () => Promise<void>;
};

const holder = globalThis as unknown as { __grantryTracing?: Sdk | null };

export function tracingConfigured(
  config: Partial<Pick<Env, "OTEL_EXPORTER_OTLP_ENDPOINT" | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" | "OTEL_SDK_DISABLED">> = env(),
): boolean {
  return Boolean(config.OTEL_EXPORTER_OTLP_ENDPOINT || config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && config.OTEL_SDK_DISABLED !== "true";
}

/** Loads the SDK and starts exporting, once per process; a no-op when no endpoint is set. */
export async function startTracing(): Promise<void> {
  if (holder.__grantryTracing || !tracingConfigured()) return;
  const api = await import("@opentelemetry/api");
  const { TracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace");
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
  const { resourceFromAttributes } = await import("@opentelemetry/resources");
  const { W3CTraceContextPropagator } = await import("@opentelemetry/core");
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": env().OTEL_SERVICE_NAME, "process.pid": process.pid }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  holder.__grantryTracing = { api, tracer: provider.getTracer("grantry"), propagator: new W3CTraceContextPropagator(), shutdown: () => provider.shutdown() };
}

/** Exports what is still buffered: before the process exits. */
export async function stopTracing(): Promise<void> {
  await holder.__grantryTracing?.shutdown().catch(() => {});
  holder.__grantryTracing = null;
}

function parentOf({ api, propagator }: Sdk, header: HeaderOf): Context {
  return propagator.extract(api.ROOT_CONTEXT, header, { get: (of, key) => of(key), keys: () => ["traceparent", "tracestate"] });
}

function traceOf(span: Span, tracer: Tracer, context: Context): RequestTrace {
  return {
    set(attributes) {
      for (const [key, value] of Object.entries(attributes)) if (value !== undefined) span.setAttribute(key, value);
    },
    async child(name, fn) {
      const child = tracer.startSpan(name, {}, context);
      try {
        return await fn();
      } finally {
        child.end();
      }
    },
  };
}

/**
 * The front server's span for a request (null when tracing is off): continues
 * the caller's `traceparent`, and replaces that header with its own so the
 * Next.js process continues this span. Ends when the response does.
 */
export function traceRequest(
  req: { method?: string; url?: string; headers: IncomingHttpHeaders },
  res: { statusCode: number; once(event: "close", fn: () => void): unknown },
  reqId: string,
): RequestTrace | null {
  const sdk = holder.__grantryTracing;
  if (!sdk) return null;
  const { api, tracer, propagator } = sdk;
  const method = req.method ?? "GET";
  const url = req.url ?? "/";
  const path = scrub(url.includes("?") ? url.slice(0, url.indexOf("?")) : url);
  const given = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const span = tracer.startSpan(
    method,
    { kind: api.SpanKind.SERVER, attributes: { "http.request.method": method, "url.path": path, "grantry.request_id": reqId } },
    parentOf(sdk, given),
  );
  const context = api.trace.setSpan(api.ROOT_CONTEXT, span);
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, { set: (c, k, v) => (c[k] = v) });
  req.headers.traceparent = carrier.traceparent;
  delete req.headers.tracestate;
  res.once("close", () => {
    span.setAttribute("http.response.status_code", res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
    span.end();
  });
  const trace = traceOf(span, tracer, context);
  return {
    ...trace,
    set(attributes) {
      // The span's name is its route once a handler knows it (low cardinality: no tenant, no ids).
      if (typeof attributes["http.route"] === "string") span.updateName(`${method} ${attributes["http.route"]}`);
      trace.set(attributes);
    },
  };
}

/** A span of its own under the request's `traceparent` (the Management API's). Null when tracing is off. */
export function startSpan(name: string, header: HeaderOf): { trace: RequestTrace; end: (error?: boolean) => void } | null {
  const sdk = holder.__grantryTracing;
  if (!sdk) return null;
  const { api, tracer } = sdk;
  const span = tracer.startSpan(name, { kind: api.SpanKind.INTERNAL }, parentOf(sdk, header));
  return {
    trace: traceOf(span, tracer, api.trace.setSpan(api.ROOT_CONTEXT, span)),
    end: (error) => {
      if (error) span.setStatus({ code: api.SpanStatusCode.ERROR });
      span.end();
    },
  };
}
