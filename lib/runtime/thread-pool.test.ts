import assert from "node:assert/strict";
import { test } from "node:test";
import { workerPoolEnv, workerPoolSize } from "./thread-pool";

test("each worker's signing threads are its share of the cores, between 1 and libuv's 4", () => {
  assert.equal(workerPoolSize(2, 2), 1);
  assert.equal(workerPoolSize(2, 3), 1);
  assert.equal(workerPoolSize(4, 2), 2);
  assert.equal(workerPoolSize(6, 4), 2);
  assert.equal(workerPoolSize(8, 2), 4);
  assert.equal(workerPoolSize(64, 2), 4);
});

test("an operator's UV_THREADPOOL_SIZE is left as it is", () => {
  assert.deepEqual(workerPoolEnv({}, 2, 2), { UV_THREADPOOL_SIZE: "1" });
  assert.deepEqual(workerPoolEnv({ UV_THREADPOOL_SIZE: "8" }, 2, 2), {});
});
