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
    assert.equal(reads.finished(reads.start(), false), "recovered");
    assert.equal(reads.finished(stuck, true), undefined, "the database answered a read since it started");
    assert.equal(reads.finished(reads.start(), true), "failing", "a later read's failure is said");
  });

  it("ignores a failure from a later-numbered read that was still waiting when an earlier one was answered", () => {
    const reads = new ReadOutcomes();
    const answered = reads.start(); // holds a connection, answered right after the database wakes
    const waiting = reads.start(); // waits for a new connection, times out just after
    assert.equal(reads.finished(answered, false), undefined);
    assert.equal(reads.finished(waiting, true), undefined);
  });

  it("a success ends an outage when its read started after the one that said failing", () => {
    const reads = new ReadOutcomes();
    const first = reads.start();
    assert.equal(reads.finished(first, true), "failing");
    assert.equal(reads.finished(reads.start(), false), "recovered");
  });

  it("ignores a success from a read that started before the failure that began the outage", () => {
    const reads = new ReadOutcomes();
    const longLoad = reads.start(); // answered just before the database stopped, still busy in JavaScript
    assert.equal(reads.finished(reads.start(), true), "failing");
    assert.equal(reads.finished(longLoad, false), undefined, "its answer may predate the outage");
    assert.equal(reads.finished(reads.start(), true), undefined, "still the same outage");
    assert.equal(reads.finished(reads.start(), false), "recovered");
  });
});
