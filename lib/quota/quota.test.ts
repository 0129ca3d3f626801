import assert from "node:assert/strict";
import { test } from "node:test";
import { bucketsOf, quotaHeaders, quotaPolicy, type QuotaSubject } from "./buckets";
import { memoryCounters } from "./memory";

const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 10, 30, 10, 15); // 10:15 UTC
const app = (perHour: number | null, perDay: number | null, mode: "enforce" | "log" = "enforce"): QuotaSubject => ({
  kind: "application",
  id: "app1",
  policy: quotaPolicy(perHour, perDay, mode)!,
});

test("no limits, no policy", () => {
  assert.equal(quotaPolicy(null, null, "enforce"), null);
  assert.deepEqual(quotaPolicy(5, null, "log"), { perHour: 5, perDay: null, enforce: false });
});

test("an enforced hourly quota allows exactly its limit, then refuses until the next UTC hour", () => {
  const counters = memoryCounters();
  const subjects = [app(3, null)];
  const decisions = [1, 2, 3, 4, 5].map(() => counters.charge(bucketsOf(subjects, t0)));
  assert.deepEqual(
    decisions.map((d) => d.allowed),
    [true, true, true, false, false],
  );
  const refused = decisions[3]!;
  assert.equal(refused.exceeded.length, 1);
  assert.equal(refused.exceeded[0]!.resetsInSeconds, 45 * 60, "10:15 → 11:00");
  assert.equal(refused.buckets[0]!.used, 3, "a refused request is not counted");
  assert.equal(counters.charge(bucketsOf(subjects, t0 + HOUR)).allowed, true, "a new hour starts at zero");
});

test("a log-only quota issues past its limit and flags what is over", () => {
  const counters = memoryCounters();
  const subjects = [app(null, 2, "log")];
  const decisions = [1, 2, 3].map(() => counters.charge(bucketsOf(subjects, t0)));
  assert.deepEqual(
    decisions.map((d) => [d.allowed, d.flagged]),
    [
      [true, false],
      [true, false],
      [true, true],
    ],
  );
});

test("a refusal by one subject charges none: the application's count stays where it was", () => {
  const counters = memoryCounters();
  const grant: QuotaSubject = { kind: "grant", id: "g1", policy: quotaPolicy(1, null, "enforce")! };
  const both = [app(10, 100), grant];
  assert.equal(counters.charge(bucketsOf(both, t0)).allowed, true);
  const refused = counters.charge(bucketsOf(both, t0));
  assert.equal(refused.allowed, false);
  assert.deepEqual(
    refused.exceeded.map((b) => `${b.subject.kind} ${b.period}`),
    ["grant per_hour"],
  );
  const appOnly = counters.charge(bucketsOf([app(10, 100)], t0));
  assert.deepEqual(
    appOnly.buckets.map((b) => b.used),
    [2, 2],
    "only the allowed requests were counted",
  );
});

test("headers follow Auth0's bucket format, per subject kind", () => {
  const counters = memoryCounters();
  const decision = counters.charge(bucketsOf([app(10, 50), { kind: "grant", id: "g", policy: quotaPolicy(null, 5, "log")! }], t0));
  assert.deepEqual(quotaHeaders(decision), {
    "Grantry-Client-Quota-Limit": "b=per_hour;q=10;r=9;t=2700,b=per_day;q=50;r=49;t=49500",
    "Grantry-Grant-Quota-Limit": "b=per_day;q=5;r=4;t=49500",
  });
});
