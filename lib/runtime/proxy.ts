// Hands a request the protocol server does not answer itself to the Next.js
// process on its unix socket, streaming both ways (server actions and RSC
// responses stream). The forwarding is httpxy's (unjs; the engine of
// http-proxy-middleware): it pipes the body once the upstream socket is
// assigned, stops Next.js when the browser goes away, and after an answer that
// left the body unread discards the rest and drops that upstream connection
// (or the browser's next request is never parsed, and 256 such bodies would
// take every connection). Around it, what it does not do: requests that arrive
// while Next.js is still starting, or restarting, wait for it rather than fail;
// hop-by-hop headers stay on their own hop, both ways.
import http from "node:http";
import net from "node:net";
import { createProxyServer } from "httpxy";
import { CLIENT_ADDRESS_HEADER } from "@/lib/client-address";
import { REQUEST_ID } from "@/lib/observability/request-log";
import { logUnexpected } from "@/lib/unexpected";

/** Meaningful for one connection only (RFC 9110 §7.6.1); `expect` is answered by this server. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"];

/**
 * Written by the front server for Next.js over whatever the client sent: the client's address
 * (server.ts), the request id, the trace context when tracing is on. A client's Connection header
 * names fields of its own hop, never these: named away, the address would be "unknown" to the
 * sign-in limits and the audit trail, and Next.js's lines would lose their request id.
 */
const WRITTEN_HERE: ReadonlySet<string> = new Set([CLIENT_ADDRESS_HEADER, REQUEST_ID, "traceparent"]);

const WAIT_FOR_NEXT_MS = 120_000;

/** How long the Next.js process keeps an idle connection from this proxy open. */
export const NEXT_KEEP_ALIVE_MS = 10 * 60_000;

/** Drops, in place, the hop-by-hop headers and those the Connection header names, but for `keep`. */
function dropHopByHop(headers: http.IncomingHttpHeaders, keep: ReadonlySet<string> = new Set()): void {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => !keep.has(h));
  for (const name of [...HOP_BY_HOP, ...named]) delete headers[name];
}

function connectable(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export function proxyToNext(socketPath: string): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  // Idle connections are closed from this side after 30 s, well before the Next.js process
  // would close them (NEXT_KEEP_ALIVE_MS): a request never races the other end's close.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 });
  // The answer's head is written here (selfHandleResponse): the library would set Connection on
  // every answer, overriding node:http's own keep-alive decision and the drain's `close`.
  const proxy = createProxyServer({ target: { socketPath }, agent, selfHandleResponse: true });
  let up: Promise<boolean> | null = null;
  let isUp = false;

  /** One shared probe loop while Next.js is not accepting connections. */
  const whenUp = (): Promise<boolean> => {
    if (isUp) return Promise.resolve(true);
    up ??= (async () => {
      const deadline = Date.now() + WAIT_FOR_NEXT_MS;
      while (Date.now() < deadline) {
        if (await connectable(socketPath)) return (isUp = true);
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    })().finally(() => {
      up = null;
    });
    return up;
  };

  const unavailable = (res: http.ServerResponse) => {
    if (res.headersSent) return res.destroy();
    res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5" });
    res.end("Grantry's dashboard is starting; try again in a few seconds.\n");
  };

  proxy.on("proxyRes", (answer, req, res) => {
    // Next.js closes when it left a body unread (413): so must this connection, whose body is unread too.
    // Its close after a body it read says nothing about this connection (httpxy asks for one after every
    // chunked request, a request-smuggling guard).
    const close = !req.complete && /\bclose\b/i.test(String(answer.headers.connection ?? ""));
    const headers = { ...answer.headers };
    dropHopByHop(headers);
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, close ? { ...headers, connection: "close" } : headers);
    answer.pipe(res);
  });

  proxy.on("error", (error: NodeJS.ErrnoException, _req, res) => {
    if (!(res instanceof http.ServerResponse) || res.writableFinished) return;
    // http.request() throws a TypeError on what node:http's parser let through but its client refuses: the request's fault.
    if (error instanceof TypeError && !res.headersSent) {
      logUnexpected("dashboard proxy", error);
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
      return void res.end("Bad request\n");
    }
    if (error.code === "ECONNREFUSED" || error.code === "ENOENT") isUp = false;
    else if (!res.destroyed) logUnexpected("dashboard proxy", error);
    unavailable(res);
  });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // A chunked body stays chunked (Node would not frame a GET's body by itself).
    const chunked = /chunked/i.test(String(req.headers["transfer-encoding"] ?? ""));
    dropHopByHop(req.headers, WRITTEN_HERE);
    if (chunked) req.headers["transfer-encoding"] = "chunked";
    // Its promise rejects when the answer is destroyed with an error, which the listeners above have seen.
    proxy.web(req, res).catch(() => {});
  };

  return (req, res) => {
    if (isUp) return forward(req, res);
    // The body waits in the request stream, paused, until Next.js is up.
    void whenUp().then((ok) => (ok ? forward(req, res) : unavailable(res)));
  };
}
