import assert from "node:assert/strict";
import { test } from "node:test";
import { readLimitedBody } from "./limited-body";

/** A request whose chunked body never ends, counting what was pulled from it. */
function endless(chunkBytes: number) {
  const pulled = { bytes: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled.bytes += chunkBytes;
      controller.enqueue(new Uint8Array(chunkBytes));
    },
    cancel() {
      pulled.cancelled = true;
    },
  });
  return { request: new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit), pulled };
}

test("an endless chunked body is cut just past the limit, and the stream cancelled", async () => {
  const { request, pulled } = endless(64 * 1024);
  assert.equal(await readLimitedBody(request, 1024 * 1024), null);
  assert.ok(pulled.cancelled, "the upload is cancelled");
  assert.ok(pulled.bytes <= 2 * 1024 * 1024, `read ${pulled.bytes} bytes, not the whole body`);
});

test("a declared Content-Length over the limit is refused before reading", async () => {
  const request = new Request("http://x/", { method: "POST", body: "{}", headers: { "content-length": String(10 * 1024 * 1024) } });
  assert.equal(await readLimitedBody(request, 1024), null);
});

test("a body within the limit is read whole, as UTF-8", async () => {
  assert.equal(await readLimitedBody(new Request("http://x/", { method: "POST", body: '{"name":"ünï"}' }), 1024), '{"name":"ünï"}');
  assert.equal(await readLimitedBody(new Request("http://x/", { method: "GET" }), 1024), "");
});
