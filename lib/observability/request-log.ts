// Request ids and the one line each request ends with. The front server
// (server.ts) gives every request an id — a new UUID, or behind trusted
// proxies (GRANTRY_TRUST_PROXY=1) the X-Request-Id they set when it is a plain
// token, so a load balancer's id carries through — and returns it as
// X-Request-Id. A client's own id is not taken: it could make its lines pass
// for another request's. Requests handed on to Next.js carry it in that
// header; code there passes it to the logger explicitly (Next.js runs route
// handlers and actions outside the caller's async context, so an
// AsyncLocalStorage set around its request handler does not reach them).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/lib/env";
import { log, scrub } from "./log";

export const REQUEST_ID = "x-request-id";
/** What a client-supplied id may look like: short, and nothing a log reader could mistake for structure. */
const PLAIN_ID = /^[A-Za-z0-9._:@+=-]{1,128}$/;

/** The request's id (a trusted proxy's X-Request-Id when it is plain), set on the request's headers and the response. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const given = env().GRANTRY_TRUST_PROXY === "1" ? req.headers[REQUEST_ID] : undefined;
  const id = typeof given === "string" && PLAIN_ID.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID] = id;
  res.setHeader("X-Request-Id", id);
  return id;
}

/**
 * The id the front server gave a request it handed on to Next.js (its
 * X-Request-Id header), for the lines logged there; undefined when absent or
 * not plain (`next dev` has no front server to check it).
 */
export function plainRequestId(header: string | string[] | null | undefined): string | undefined {
  return typeof header === "string" && PLAIN_ID.test(header) ? header : undefined;
}

type Level = "info" | "debug";

/**
 * A request's last line: method, path without the query string, status (0:
 * the client went away first), milliseconds, and the OAuth error code of a
 * protocol error. Answers that went well at `okLevel` (debug for the token
 * endpoint and liveness probes, thousands a second or every few seconds),
 * errors always at info. Costs a level check when the level hides it.
 */
export function logAnswered(req: IncomingMessage, status: number, started: number, reqId: string, okLevel: Level, error?: string): void {
  const level: Level = status >= 400 || status === 0 ? "info" : okLevel;
  const logger = log();
  if (!logger.isLevelEnabled(level)) return;
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  logger[level](
    {
      reqId,
      method: req.method,
      path: scrub(q === -1 ? url : url.slice(0, q)),
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(error ? { error } : {}),
      ...(status === 0 ? { aborted: true } : {}),
    },
    "request",
  );
}

/** Logs the request's last line when its response is done (or the client went away): requests answered by Next.js and the front server itself. */
export function logWhenDone(req: IncomingMessage, res: ServerResponse, reqId: string, okLevel: Level = "info"): void {
  if (!log().isLevelEnabled("info")) return;
  const started = performance.now();
  res.once("close", () => logAnswered(req, res.writableFinished ? res.statusCode : 0, started, reqId, okLevel));
}
