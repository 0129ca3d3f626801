import assert from "node:assert/strict";
import { test } from "node:test";
import { metrics } from "@/lib/observability/metrics";
import { foldTokenLog, recordTokenLog, stopTokenLogTimer, tokenLogQueue, type TokenLogEntry } from "./token-log";

const entry = (over: Partial<TokenLogEntry> = {}): TokenLogEntry => ({
  tenantId: "t1",
  at: 1_000,
  applicationId: "app1",
  apiId: "api1",
  outcome: "ok",
  scopeRequested: "read",
  scopeGranted: "read",
  address: "10.0.0.1",
  userAgent: "curl/8",
  latencyMs: 2,
  ...over,
});

test("identical requests within a flush are one row counting them, from the first to the last", () => {
  let n = 0;
  const rows = foldTokenLog([entry({ at: 3_000, latencyMs: 4 }), entry({ at: 1_000, latencyMs: 2 }), entry({ at: 2_000, latencyMs: 6 })], () => `id${n++}`);
  assert.deepEqual(rows, [
    {
      id: "id0",
      tenantId: "t1",
      at: 1_000,
      lastAt: 3_000,
      count: 3,
      applicationId: "app1",
      apiId: "api1",
      outcome: "ok",
      reason: "",
      scopeRequested: "read",
      scopeGranted: "read",
      address: "10.0.0.1",
      userAgent: "curl/8",
      latencyMs: 4,
    },
  ]);
});

test("requests differing in any logged field stay apart", () => {
  const variants = [
    entry(),
    entry({ tenantId: "t2" }),
    entry({ applicationId: undefined }),
    entry({ apiId: "api2" }),
    entry({ outcome: "invalid_scope", scopeGranted: undefined }),
    entry({ outcome: "invalid_client", reason: "subject_mismatch", scopeGranted: undefined }),
    entry({ scopeRequested: "write" }),
    entry({ address: "10.0.0.2" }),
    entry({ userAgent: "other" }),
  ];
  const rows = foldTokenLog(variants);
  assert.equal(rows.length, variants.length);
  assert.ok(rows.every((r) => r.count === 1));
  assert.equal(rows[2]!.applicationId, null);
  assert.equal(rows[4]!.scopeGranted, "");
});

test("an oversized scope or user agent is cut, so one request cannot write kilobytes", () => {
  const [row] = foldTokenLog([entry({ scopeRequested: "s".repeat(20_000), userAgent: "u".repeat(5_000) })]);
  assert.equal(row!.scopeRequested.length, 1000);
  assert.equal(row!.userAgent.length, 300);
});

test("a NUL from the client is stored as U+FFFD: PostgreSQL refuses NUL in text, and one would fail every tenant's rows of the batch", () => {
  const [row] = foldTokenLog([entry({ scopeRequested: "a\u0000b", userAgent: "x\u0000" })]);
  assert.equal(row!.scopeRequested, "a\uFFFDb");
  assert.equal(row!.userAgent, "x\uFFFD");
});

test("an oversized value is cut when queued, so the queue never holds the client's kilobytes", () => {
  tokenLogQueue.clear();
  try {
    recordTokenLog(entry({ scopeRequested: "s".repeat(16_000), userAgent: "u".repeat(16_000) }));
    const [queued] = tokenLogQueue.peek();
    assert.equal(queued!.scopeRequested, "s".repeat(1000));
    assert.equal(queued!.userAgent, "u".repeat(300));
  } finally {
    stopTokenLogTimer();
    tokenLogQueue.clear();
  }
});

test("a full queue drops entries and counts them instead of growing", async () => {
  tokenLogQueue.clear();
  tokenLogQueue.setMaxPending(3);
  try {
    const dropped = async () => (await metrics().tokenLogDropped.get()).values.find((v) => v.labels.reason === "queue_full")?.value ?? 0;
    const before = await dropped();
    for (let i = 0; i < 5; i++) recordTokenLog(entry({ at: i }));
    assert.equal(tokenLogQueue.pending(), 3);
    assert.equal((await dropped()) - before, 2);
  } finally {
    stopTokenLogTimer();
    tokenLogQueue.clear();
    tokenLogQueue.setMaxPending(100_000);
  }
});
