import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";

process.env.GRANTRY_URL = "https://auth.example.com";
delete process.env.DATABASE_URL;
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();
const { handleNodeProtocolRequest } = await import("./node-adapter");

let server: http.Server;
let base = "";
before(async () => {
  // A failure answers 500 (and fails the test that sent the request) instead of an unhandled rejection.
  server = http.createServer((req, res) => {
    handleNodeProtocolRequest(req, res).then(
      (handled) => {
        if (handled) return;
        res.writeHead(299, { "x-next": "1" });
        res.end();
      },
      (error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

describe("handleNodeProtocolRequest", () => {
  it("hands non-protocol paths on untouched", async () => {
    const res = await fetch(`${base}/dashboard?x=1`, { method: "POST", body: "x".repeat(100_000) });
    assert.equal(res.status, 299);
  });
  it("refuses a body over 16 KiB with 413 invalid_request, by Content-Length or chunked", async () => {
    const big = "x".repeat(16 * 1024 + 1);
    const declared = await fetch(`${base}/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    assert.equal(declared.status, 413);
    assert.deepEqual(await declared.json(), { error: "invalid_request", error_description: "The request body is larger than 16 KiB" });
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) });
    const chunked = await fetch(`${base}/oauth/token`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    assert.equal(chunked.status, 413);
  });
  it("answers protocol errors itself, with the OAuth body", async () => {
    const res = await fetch(`${base}/.well-known/jwks.json`, { method: "POST" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD");
    assert.equal(res.headers.get("cache-control"), "no-store");
  });
});
