// Hands a request the protocol server does not answer itself to the Next.js
// process on its unix socket, streaming both ways (server actions and RSC
// responses stream). Requests that arrive while Next.js is still starting, or
// restarting, wait for it rather than fail.
import http from "node:http";
import net from "node:net";
import { logUnexpected } from "@/lib/unexpected";

/** Meaningful for one connection only (RFC 9110 §7.6.1); `expect` is answered by this server. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "expect"]);

const WAIT_FOR_NEXT_MS = 120_000;

/** How long the Next.js process keeps an idle connection from this proxy open. */
export const NEXT_KEEP_ALIVE_MS = 10 * 60_000;

/** `keepFraming`: a chunked request body stays chunked (Node would not frame a GET's body by itself). */
function endToEnd(headers: http.IncomingHttpHeaders, keepFraming = false): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase()),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) out[name] = value;
  }
  if (keepFraming && /chunked/i.test(String(headers["transfer-encoding"] ?? ""))) out["transfer-encoding"] = "chunked";
  return out;
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

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers: endToEnd(req.headers, true) });
    upstream.on("response", (answer) => {
      const headers = endToEnd(answer.headers);
      // Next.js closes when it left a body unread (413): so must this connection, whose body is unread too.
      if (/\bclose\b/i.test(String(answer.headers.connection ?? ""))) {
        headers.connection = "close";
        req.unpipe(upstream);
      }
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      // Writing a body Next.js no longer reads, after it answered: the answer stands.
      if (res.writableFinished) return;
      if (error.code === "ECONNREFUSED" || error.code === "ENOENT") isUp = false;
      else if (!res.destroyed) logUnexpected("dashboard proxy", error);
      unavailable(res);
    });
    // The browser went away: stop Next.js rendering for nobody.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    // Answered before the body was all read (a 404 or 401 need not read it): discard the rest, as
    // node:http does for a body nobody reads, or the connection's next request is never parsed;
    // and drop the upstream connection, which would otherwise stay taken by a request that never
    // ends (256 such bodies, and the dashboard had no connection left).
    res.on("finish", () => {
      if (req.complete) return;
      req.unpipe(upstream);
      upstream.destroy();
      req.resume();
    });
    req.pipe(upstream);
  };

  /** http.request() throws on what node:http's parser let through but its client refuses: then it is the request's fault. */
  const tryForward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      forward(req, res);
    } catch (error) {
      logUnexpected("dashboard proxy", error);
      if (res.headersSent) return res.destroy();
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
      res.end("Bad request\n");
    }
  };

  return (req, res) => {
    if (isUp) return tryForward(req, res);
    // The body waits in the request stream, paused, until Next.js is up.
    void whenUp().then((ok) => (ok ? tryForward(req, res) : unavailable(res)));
  };
}
