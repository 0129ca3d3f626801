import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidRequest, InvalidScope } from "./errors";
import { requestedAudience, resolveScope } from "./scope";

describe("resolveScope", () => {
  const granted = ["read:a", "write:a"];
  it("gives every granted scope when none is asked for", () => {
    assert.equal(resolveScope(undefined, granted), "read:a write:a");
    assert.equal(resolveScope("   ", granted), "read:a write:a");
  });
  it("gives exactly the granted ones asked for, once each", () => {
    assert.equal(resolveScope("write:a", granted), "write:a");
    assert.equal(resolveScope("write:a  read:a write:a", granted), "write:a read:a");
  });
  it("refuses scopes not granted, and malformed ones", () => {
    assert.throws(
      () => resolveScope("read:a admin", granted),
      (e: unknown) => e instanceof InvalidScope && /admin/.test(e.message),
    );
    assert.throws(() => resolveScope('read:a\t"x"', granted), InvalidScope);
  });
});

describe("requestedAudience", () => {
  it("takes audience or resource, and both when they agree", () => {
    assert.equal(requestedAudience({ audience: "a" }), "a");
    assert.equal(requestedAudience({ resource: "a" }), "a");
    assert.equal(requestedAudience({ audience: "a", resource: "a" }), "a");
  });
  it("is invalid_request when missing or contradictory", () => {
    assert.throws(() => requestedAudience({}), InvalidRequest);
    assert.throws(() => requestedAudience({ audience: "a", resource: "b" }), InvalidRequest);
  });
});
