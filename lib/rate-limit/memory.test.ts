import assert from "node:assert/strict";
import { test } from "node:test";
import { parseLimit } from "./config";
import { memoryBuckets } from "./memory";

test("limits parse from N/window and can be switched off", () => {
  assert.deepEqual(parseLimit("10/1s", "1/1s"), { capacity: 10, windowMs: 1000, refillPerMs: 0.01 });
  assert.equal(parseLimit("60/m", "1/1s")?.windowMs, 60_000);
  assert.equal(parseLimit("off", "1/1s"), null);
  assert.equal(parseLimit("0", "1/1s"), null);
  assert.throws(() => parseLimit("lots", "1/1s"), /Invalid rate limit/);
});

test("a bucket allows exactly its capacity, then refuses with Retry-After, then refills", () => {
  const buckets = memoryBuckets(parseLimit("3/3s", "")!);
  const t0 = 1_000_000;
  assert.deepEqual(
    [1, 2, 3].map(() => buckets.take("k", t0).allowed),
    [true, true, true],
  );
  const refused = buckets.take("k", t0);
  assert.equal(refused.allowed, false);
  assert.equal(refused.retryAfterSeconds, 1);
  assert.equal(buckets.take("other", t0).allowed, true, "keys are independent");
  assert.equal(buckets.take("k", t0 + 1000).allowed, true, "one token back after a third of the window");
  assert.equal(buckets.take("k", t0 + 1000).allowed, false);
});
