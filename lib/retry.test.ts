import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withRetries } from "./retry";

describe("withRetries", () => {
  it("returns the first success, after as many failures as there are delays", async () => {
    let calls = 0;
    const result = await withRetries(async () => {
      calls++;
      if (calls < 3) throw new Error(`failure ${calls}`);
      return "done";
    }, [1, 1]);
    assert.equal(result, "done");
    assert.equal(calls, 3);
  });

  it("rethrows the last failure once the delays run out", async () => {
    let calls = 0;
    await assert.rejects(
      withRetries(async () => {
        calls++;
        throw new Error(`failure ${calls}`);
      }, [1, 1]),
      /failure 3/,
    );
    assert.equal(calls, 3);
  });

  it("waits the given delays between attempts", async () => {
    const started = Date.now();
    await assert.rejects(withRetries(() => Promise.reject(new Error("no")), [30, 30]));
    assert.ok(Date.now() - started >= 55, "two waits of 30 ms");
  });
});
