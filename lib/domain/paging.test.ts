import assert from "node:assert/strict";
import { test } from "node:test";
import { skipTake } from "./paging";
import { MAX_PAGE_SIZE } from "./schemas";

test("skipTake: page n of k rows skips (n-1)·k", () => {
  assert.deepEqual(skipTake({ page: 1, perPage: 25 }), { skip: 0, take: 25 });
  assert.deepEqual(skipTake({ page: 2, perPage: 10 }), { skip: 10, take: 10 });
  assert.deepEqual(skipTake({ page: 9, perPage: 3 }), { skip: 24, take: 3 });
});

test("skipTake brings nonsense in range instead of sending it to the database", () => {
  assert.deepEqual(skipTake({ page: 0, perPage: 0 }), { skip: 0, take: 1 });
  assert.deepEqual(skipTake({ page: -3, perPage: 10_000 }), { skip: 0, take: MAX_PAGE_SIZE });
  assert.deepEqual(skipTake({ page: Number.NaN, perPage: Number.NaN }), { skip: 0, take: 25 });
  assert.deepEqual(skipTake({ page: 2.7, perPage: 10.2 }), { skip: 10, take: 10 });
});
