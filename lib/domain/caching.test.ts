import assert from "node:assert/strict";
import { test } from "node:test";
import { cachingThreshold, tokensNeeded, windowStart } from "./caching";

test("a caching client needs one token per lifetime begun, and at least one", () => {
  assert.equal(tokensNeeded(86_400, 86_400), 1);
  assert.equal(tokensNeeded(86_401, 86_400), 2);
  assert.equal(tokensNeeded(5, 86_400), 1);
  assert.equal(tokensNeeded(0, 3600), 1);
  assert.equal(tokensNeeded(36 * 3600, 3600), 36);
  assert.equal(tokensNeeded(3600, 60), 60);
});

test("the threshold is ten times the need, never below 100", () => {
  // A day-long lifetime: the floor decides.
  assert.equal(cachingThreshold(30 * 3600, 86_400), 100);
  // One hour over 36 hours: 36 needed, 360 allowed.
  assert.equal(cachingThreshold(36 * 3600, 3600), 360);
  // One minute over a day: 1440 needed, 14400 allowed.
  assert.equal(cachingThreshold(86_400, 60), 14_400);
});

test("the window starts at the beginning of yesterday, UTC", () => {
  assert.equal(windowStart(new Date("2026-03-01T05:30:00Z")).toISOString(), "2026-02-28T00:00:00.000Z");
  assert.equal(windowStart(new Date("2026-03-01T00:00:00Z")).toISOString(), "2026-02-28T00:00:00.000Z");
  assert.equal(windowStart(new Date("2026-02-28T23:59:59.999Z")).toISOString(), "2026-02-27T00:00:00.000Z");
});
