// The four adapters, each in its real framework on a loopback port, guarding
// GET /things (optionally with required scopes) and answering the verified
// client id and scopes. Hono and the Next.js route handler are Fetch-API
// handlers: a few lines of node:http hand them a Request (Next's own
// NextRequest for the route handler) and write back their Response.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { NextRequest } from "next/server";
import { expressAuth, fastifyAuth, honoAuth, withAuth, type AuthInfo, type Verifier } from "@grantry/verify";

export type Framework = { name: string; url: string; close: () => Promise<void> };

const answer = (auth: AuthInfo) => ({ client_id: auth.claims.client_id, scopes: auth.scopes, scheme: auth.scheme });

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const closer = (server: http.Server) => () => new Promise<void>((resolve) => server.close(() => resolve()));

/** node:http in front of a Fetch-API handler. */
function fetchServer(
  handle: (request: Request) => Promise<Response>,
  wrap: (url: string, init: RequestInit) => Request = (u, i) => new Request(u, i),
): http.Server {
  return http.createServer((req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const request = wrap(`http://${req.headers.host}${req.url}`, { method: req.method, headers });
    handle(request).then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      },
      (error: Error) => {
        res.writeHead(500).end(error.message);
      },
    );
  });
}

export async function startFrameworks(verifier: Verifier, scopes?: string[]): Promise<Framework[]> {
  const frameworks: Framework[] = [];

  const app = express();
  app.get("/things", expressAuth(verifier, { scopes }), (req, res) => {
    res.json(answer(req.auth!));
  });
  const expressServer = http.createServer(app);
  frameworks.push({ name: "Express", url: await listen(expressServer), close: closer(expressServer) });

  const fastify = Fastify();
  fastify.decorateRequest("auth", null);
  fastify.get("/things", { preHandler: fastifyAuth(verifier, { scopes }) }, async (request) => answer((request as unknown as { auth: AuthInfo }).auth));
  await fastify.listen({ port: 0, host: "127.0.0.1" });
  frameworks.push({ name: "Fastify", url: `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`, close: () => fastify.close() });

  const hono = new Hono<{ Variables: { auth: AuthInfo } }>();
  hono.use("/things", honoAuth(verifier, { scopes }));
  hono.get("/things", (c) => c.json(answer(c.get("auth"))));
  const honoServer = fetchServer(async (request) => hono.fetch(request));
  frameworks.push({ name: "Hono", url: await listen(honoServer), close: closer(honoServer) });

  // A Next.js app-router route handler: `export const GET = withAuth(verifier, handler)`.
  const GET = withAuth(verifier, async (_request: NextRequest, _context: { params: Promise<object> }, auth) => Response.json(answer(auth)), { scopes });
  const nextServer = fetchServer(
    (request) => GET(request as NextRequest, { params: Promise.resolve({}) }),
    (url, init) => new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]),
  );
  frameworks.push({ name: "Next.js route handler", url: await listen(nextServer), close: closer(nextServer) });

  return frameworks;
}

export type Answer = { status: number; challenge: string | null; body: unknown };

export async function call(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}/things`, { headers });
  const text = await res.text();
  return { status: res.status, challenge: res.headers.get("www-authenticate"), body: text ? JSON.parse(text) : null };
}
