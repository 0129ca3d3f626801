import assert from "node:assert/strict";
import { test } from "node:test";
import { lastDays } from "./usage";

test("lastDays lists UTC days oldest first, ending today", () => {
  const days = lastDays(3, new Date("2026-03-01T05:00:00Z"));
  assert.deepEqual(days, ["2026-02-27", "2026-02-28", "2026-03-01"]);
});

test("lastDays(30) spans thirty distinct days", () => {
  const days = lastDays(30, new Date("2026-11-23T23:59:59Z"));
  assert.equal(days.length, 30);
  assert.equal(new Set(days).size, 30);
  assert.equal(days[29], "2026-11-23");
});
