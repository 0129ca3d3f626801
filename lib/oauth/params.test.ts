import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidRequest } from "./errors";
import { readParams, tokenRequestSchema } from "./params";

describe("readParams", () => {
  it("keeps recognised string parameters and drops the rest (RFC 6749 §3.2)", () => {
    assert.deepEqual(readParams(tokenRequestSchema, { grant_type: "client_credentials", extra: { nested: true } }), { grant_type: "client_credentials" });
  });
  it("treats an empty value as omitted (RFC 6749 §3.1)", () => {
    assert.equal(readParams(tokenRequestSchema, { scope: "", audience: "a" }).scope, undefined);
  });
  it("refuses a recognised parameter that is not a string, naming it", () => {
    for (const value of [1, true, null, ["a"], { a: 1 }]) {
      assert.throws(() => readParams(tokenRequestSchema, { client_id: value }), (e: unknown) => e instanceof InvalidRequest && e.message === 'Parameter "client_id" must be a string');
    }
  });
});
