// The minimal request and response the protocol works on. Both adapters
// (node:http in server.ts, Next route handlers) convert to and from these, so
// nothing in lib/oauth depends on a framework.
import type { RequestTrace } from "@/lib/observability/tracing";

export type HeaderMap = Record<string, string | string[] | undefined>;

export type ProtocolRequest = {
  method: string;
  /** The URL path without the query string, as received (not decoded). */
  path: string;
  query?: string;
  /** Lower-case header names, as node:http gives them. */
  headers: HeaderMap;
  /** The raw body, decoded as UTF-8; at most MAX_BODY_BYTES. */
  body: string;
  remoteAddress?: string;
  /** The request id the server gave this request (its log lines carry it). */
  requestId?: string;
  /** The request's trace, when OpenTelemetry export is on. */
  trace?: RequestTrace | null;
};

export type ProtocolResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The OAuth error code of an error response: for the request's log line. */
  error?: string;
};

/** Bodies above this are refused before they are parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The first value of a header, whichever way the adapter delivered it. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
