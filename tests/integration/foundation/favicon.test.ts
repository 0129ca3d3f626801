// Browsers ask every site for /favicon.ico: Grantry answers with its icon, not a 404.
import assert from "node:assert/strict";
import { test } from "node:test";

const base = process.env.GRANTRY_TEST_URL!;

test("/favicon.ico is an icon (ICO with a PNG inside), cacheable", async () => {
  const res = await fetch(`${base}/favicon.ico`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/x-icon");
  const body = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...body.subarray(0, 4)], [0, 0, 1, 0], "the ICO header");
  assert.equal(body.readUInt16LE(4), 1, "one image");
  assert.deepEqual([...body.subarray(22, 26)], [0x89, 0x50, 0x4e, 0x47], "a PNG inside");
  assert.match(res.headers.get("cache-control") ?? "", /max-age=\d+/);
});
