// A scriptable token endpoint on a loopback port for the client's own tests:
// it records every request (time, parameters, headers), issues opaque tokens
// with the lifetime asked for, and answers what a test queues first (429 with
// Retry-After, 503, an OAuth error, a dropped connection). Against real
// servers the client is tested in tests/integration/packages/ (Grantry) and
// oidc-provider.test.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

export type Seen = { at: number; params: URLSearchParams; headers: http.IncomingHttpHeaders; path: string };
export type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | "drop";

export type TokenServer = {
  url: string;
  tokenUrl: string;
  requests: Seen[];
  /** Answers for the next requests, in order; then tokens again. */
  queue: Scripted[];
  /** Seconds of lifetime of the tokens issued (default 3600); undefined sends no expires_in. */
  expiresIn: number | undefined;
  tokenType: string;
  /** How long the server takes to answer a token request (ms). */
  delayMs: number;
  issued: string[];
  close(): Promise<void>;
};

export async function startTokenServer(): Promise<TokenServer> {
  const state: Omit<TokenServer, "url" | "tokenUrl" | "close"> = { requests: [], queue: [], expiresIn: 3600, tokenType: "Bearer", delayMs: 0, issued: [] };
  let base = "";
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/.well-known/openid-configuration" || path === "/.well-known/oauth-authorization-server") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ issuer: base, token_endpoint: `${base}/oauth/token` }));
      }
      if (path !== "/oauth/token") return res.writeHead(404).end();
      state.requests.push({ at: Date.now(), params: new URLSearchParams(body), headers: req.headers, path });
      const next = state.queue.shift();
      setTimeout(() => {
        if (next === "drop") return req.socket.destroy();
        if (next) {
          res.writeHead(next.status, { "content-type": "application/json", ...next.headers });
          return res.end(next.body === undefined ? "" : JSON.stringify(next.body));
        }
        const token = `tok-${randomUUID()}`;
        state.issued.push(token);
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(
          JSON.stringify({ access_token: token, token_type: state.tokenType, ...(state.expiresIn === undefined ? {} : { expires_in: state.expiresIn }) }),
        );
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url: base,
    tokenUrl: `${base}/oauth/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** An API on a loopback port that accepts the bearer tokens `accept` approves, and records what it was sent. */
export async function startApi(accept: (authorization: string | undefined) => boolean) {
  const calls: Array<{ authorization?: string; body: string; method?: string }> = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      calls.push({ authorization: req.headers.authorization, body, method: req.method });
      if (!accept(req.headers.authorization)) {
        res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"' });
        return res.end();
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
