import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReadOutcomes } from "./read-outcomes";

describe("ReadOutcomes", () => {
  it("says a run of failures once when it starts and once when it ends", () => {
    const reads = new ReadOutcomes();
    assert.equal(reads.finished(reads.start(), false), undefined);
    assert.equal(reads.finished(reads.start(), true), "failing");
    assert.equal(reads.finished(reads.start(), true), undefined);
    assert.equal(reads.finished(reads.start(), false), "recovered");
    assert.equal(reads.finished(reads.start(), false), undefined);
  });

  it("ignores a failure from a read that started before the success that ended the outage", () => {
    const reads = new ReadOutcomes();
    const frozen = reads.start();
    const stuck = reads.start(); // waits for a connection until its timeout
    assert.equal(reads.finished(frozen, true), "failing");
    const after = reads.start();
    assert.equal(reads.finished(after, false), "recovered");
    assert.equal(reads.finished(stuck, true), undefined, "the database answered a later read");
    assert.equal(reads.finished(reads.start(), true), "failing", "a later read's failure is said");
  });

  it("ignores a success from a read that started before a failure", () => {
    const reads = new ReadOutcomes();
    const early = reads.start();
    assert.equal(reads.finished(reads.start(), true), "failing");
    assert.equal(reads.finished(early, false), undefined);
    assert.equal(reads.finished(reads.start(), false), "recovered");
  });
});
