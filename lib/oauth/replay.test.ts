import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { firstUse, forgetUses, usesHeld } from "./replay";

beforeEach(() => forgetUses());

describe("firstUse in memory", () => {
  it("accepts a key once until it expires, then again", () => {
    const t = Date.now();
    assert.equal(firstUse("a", t + 1000, t), true);
    assert.equal(firstUse("a", t + 1000, t + 500), false);
    assert.equal(firstUse("a", t + 3000, t + 1500), true);
  });

  it("drops expired uses as it goes, so the set holds the live ones rather than growing to its cap", () => {
    const t = Date.now() + 60_000;
    for (let i = 0; i < 5000; i++) void firstUse(`old ${i}`, t + 100, t);
    assert.equal(usesHeld(), 5000);
    void firstUse("new", t + 60_000, t + 2000);
    assert.equal(usesHeld(), 1, "every expired use was dropped a second later");
  });
});
