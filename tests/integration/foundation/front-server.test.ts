// The front server (server.ts) answers the protocol itself and hands every
// other request to Next.js — over a unix socket to the Next.js process with the
// fast path, in-process without it. Whatever sits between, a client's
// keep-alive connection must behave as if it spoke to Next.js directly.
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";

const base = new URL(process.env.GRANTRY_TEST_URL!);

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; reusedSocket: boolean };

/** One request on `agent`; fails instead of hanging when no answer comes. */
function request(agent: http.Agent, method: string, path: string, headers: http.OutgoingHttpHeaders = {}, body?: Buffer | Buffer[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent, signal: AbortSignal.timeout(15_000) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), reusedSocket: req.reusedSocket }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    if (Array.isArray(body)) {
      for (const part of body.slice(0, -1)) req.write(part);
      req.end(body.at(-1));
    } else req.end(body);
  });
}

const oneConnection = () => new http.Agent({ keepAlive: true, maxSockets: 1 });

test("a large body answered before it was read (a 404 needs none of it) does not stall the connection's next request", async () => {
  const big = Buffer.alloc(1024 * 1024 + 11, "x");
  for (const path of ["/no-such-page", "/t/no-such-tenant/api/v1/applications"]) {
    const agent = oneConnection();
    const first = await request(agent, "POST", path, { "content-type": "application/octet-stream", "content-length": big.length }, big);
    assert.equal(first.status, 404, path);
    const second = await request(agent, "GET", "/api/health");
    assert.equal(second.status, 200, `after ${path}`);
    assert.deepEqual(JSON.parse(second.body), { status: "ok", database: "ok" });
    agent.destroy();
  }
});

test(
  "bodies answered before they were read do not pile up: more of them than the proxy has connections, then the dashboard still answers",
  { timeout: 120_000 },
  async () => {
    const big = Buffer.alloc(1024 * 1024 + 11, "x");
    // More than the proxy's 256 upstream connections: one held per unread body would starve the dashboard.
    for (let i = 0; i < 270; i++) {
      const agent = oneConnection();
      const answer = await request(
        agent,
        "POST",
        "/t/no-such-tenant/api/v1/applications",
        { "content-type": "application/octet-stream", "content-length": big.length },
        big,
      );
      assert.equal(answer.status, 404);
      agent.destroy();
    }
    const health = await request(oneConnection(), "GET", "/api/health");
    assert.equal(health.status, 200);
  },
);

test("a small unread body on a kept-alive connection: the next request on that same connection is answered", async () => {
  const agent = oneConnection();
  const first = await request(
    agent,
    "POST",
    "/t/no-such-tenant/api/v1/applications/x/y",
    { "content-type": "application/json", "content-length": 2 },
    Buffer.from("{}"),
  );
  assert.equal(first.status, 404);
  const second = await request(agent, "GET", "/api/health");
  assert.equal(second.status, 200);
  assert.equal(second.reusedSocket, true, "the connection was kept alive");
  agent.destroy();
});

test("a GET with a chunked body keeps its framing: the next request on the connection is parsed as a request", async () => {
  const agent = oneConnection();
  // Sent unframed, these bytes would be parsed as the next request: a 400 instead of the 200.
  const first = await request(agent, "GET", "/api/health", { "transfer-encoding": "chunked" }, [Buffer.from('{"algs":'), Buffer.from('["ES256"]}')]);
  assert.equal(first.status, 200);
  const second = await request(agent, "GET", "/api/health");
  assert.equal(second.status, 200);
  assert.equal(second.reusedSocket, true);
  agent.destroy();
});

test("the dashboard's answers arrive whole: status, every Set-Cookie, JSON body; HEAD has headers only", async () => {
  const agent = oneConnection();
  const csrf = await request(agent, "GET", "/api/auth/csrf");
  assert.equal(csrf.status, 200);
  assert.match((JSON.parse(csrf.body) as { csrfToken: string }).csrfToken, /^[0-9a-f]{64}$/);
  const cookies = csrf.headers["set-cookie"] ?? [];
  assert.ok(
    cookies.some((c) => /csrf-token=/.test(c)),
    `Set-Cookie: ${cookies.join(" | ")}`,
  );
  const head = await request(agent, "HEAD", "/api/health");
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
  assert.equal(head.headers["cache-control"], "no-store");
  agent.destroy();
});
