import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conditions, credentialRows, ratio, verifyRow, type Results, type RunRecord } from "./report";

/** A cell whose windows have these tokens/s and p99 values; its own measures are their medians, as run.ts records them. */
function cell(tokensPerSec: number[], p99: number[], medians: { tokensPerSec: number; p99: number }): RunRecord {
  return {
    server: "x",
    label: "x",
    alg: "ES256",
    connections: 50,
    seconds: 6,
    p50: 1,
    successes: 1,
    errors: 0,
    statuses: {},
    verified: true,
    cpuUsPerToken: null,
    dbCpuUsPerToken: null,
    load1: 0,
    ...medians,
    windows: tokensPerSec.map((t, i) => ({ tokensPerSec: t, p50: 1, p99: p99[i]!, errors: 0, cpuUsPerToken: null, dbCpuUsPerToken: null, load1: 0 })),
  };
}

describe("ratio", () => {
  it("judges the median of the per-round ratios and keeps the ratio of the medians beside it", () => {
    // A slow round for the first server only when the second was fast: rounds say 2, 2 and 0.5, the medians 6 / 6.
    const a = cell([6, 12, 4], [10, 30, 20], { tokensPerSec: 6, p99: 20 });
    const b = cell([3, 6, 8], [5, 10, 40], { tokensPerSec: 6, p99: 10 });
    assert.deepEqual(ratio(a, b, "tokensPerSec"), { paired: 2, ofMedians: 1 });
    assert.deepEqual(ratio(a, b, "p99"), { paired: 2, ofMedians: 2 });
  });
  it("pairs windows by round, so a reordering of one server's windows changes the answer", () => {
    const b = cell([3, 6, 8], [5, 10, 40], { tokensPerSec: 6, p99: 10 });
    const reordered = cell([4, 6, 12], [10, 20, 30], { tokensPerSec: 6, p99: 20 });
    assert.deepEqual(ratio(reordered, b, "tokensPerSec"), { paired: 1.33, ofMedians: 1 });
  });
  it("falls back to the medians without windows, and has no ratio against a zero", () => {
    const a = { ...cell([], [], { tokensPerSec: 9, p99: 3 }), windows: undefined };
    const b = { ...cell([], [], { tokensPerSec: 3, p99: 0 }), windows: undefined };
    assert.deepEqual(ratio(a, b, "tokensPerSec"), { paired: 3, ofMedians: 3 });
    assert.equal(ratio(a, b, "p99"), null);
    assert.equal(ratio(a, undefined, "tokensPerSec"), null);
  });
});

describe("verifyRow", () => {
  it("judges by CPU per verification, paired within each round, and keeps the wall-clock ratio beside it", () => {
    // Round 2's raw window met a burst of other load (half the rate) without using more CPU per verification.
    const row = verifyRow("ES256", [
      { raw: 4000, verify: 3800, rawCpuUs: 100, verifyCpuUs: 105 },
      { raw: 2000, verify: 3900, rawCpuUs: 101, verifyCpuUs: 104 },
      { raw: 4100, verify: 3700, rawCpuUs: 99, verifyCpuUs: 110 },
    ]);
    assert.equal(row.ratio, 0.95);
    assert.equal(row.wallRatio, 0.95);
    assert.deepEqual([row.rawCpuUs, row.verifyCpuUs, row.rawPerSec, row.verifyPerSec], [100, 105, 4000, 3800]);
  });
});

describe("conditions", () => {
  it("states the steal time when it was measured, and nothing about it when not", () => {
    const load = { loadBefore: "load average: 0.5", loadAfter: "load average: 2.9" };
    assert.match(conditions({ ...load, stealPercent: 1.2 }), /after: `load average: 2\.9`; CPU steal \(.*\) during the run: 1\.2 %$/);
    assert.equal(conditions({ ...load, stealPercent: null }), "Load before: `load average: 0.5`; after: `load average: 2.9`");
    assert.equal(conditions(load), conditions({ ...load, stealPercent: null }));
  });
});

describe("credentialRows", () => {
  const at = (server: string, tokensPerSec: number[], connections = 50): RunRecord => ({
    ...cell(tokensPerSec, [1, 1], { tokensPerSec: tokensPerSec[0]!, p99: 1 }),
    server,
    connections,
  });
  const runs = [
    at("bare", [1000, 1000]),
    at("bare+dpop", [600, 620]),
    at("grantry-postgres", [1500, 1500]),
    at("grantry-postgres+dpop", [600, 590]),
    at("bare+dpop", [900, 900], 10),
  ];
  const [bare, grantry] = credentialRows({ runs } as Pick<Results, "runs"> as Results).filter((r) => r.connections === 50);
  it("pairs each secretless cell with its own server's secret cell", () => {
    assert.equal(bare!.vsSecret!.paired, 0.61);
    assert.equal(grantry!.vsSecret!.paired, 0.4);
  });
  it("sets Grantry's cell against the bare server with the same credential and connections, and the bare cell against nothing", () => {
    assert.equal(grantry!.vsBare!.paired, 0.98);
    assert.equal(bare!.vsBare, null);
  });
});
