import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidRequest } from "./errors";
import { readParams, TOKEN_REQUEST_PARAMS } from "./params";

describe("readParams", () => {
  it("keeps recognised string parameters and drops the rest (RFC 6749 §3.2)", () => {
    assert.deepEqual(readParams(TOKEN_REQUEST_PARAMS, { grant_type: "client_credentials", extra: { nested: true } }), { grant_type: "client_credentials" });
  });
  it("treats an empty value as omitted (RFC 6749 §3.1)", () => {
    assert.equal(readParams(TOKEN_REQUEST_PARAMS, { scope: "", audience: "a" }).scope, undefined);
  });
  it("names the first parameter, in the endpoint's order, that is not a string", () => {
    assert.throws(
      () => readParams(TOKEN_REQUEST_PARAMS, { client_secret: 1, grant_type: 2 }),
      (e: unknown) => e instanceof InvalidRequest && e.message === 'Parameter "grant_type" must be a string',
    );
  });
  it("reads from a form body's prototype-less map and ignores inherited names", () => {
    const form = Object.assign(Object.create(null) as Record<string, unknown>, { audience: "https://api" });
    assert.deepEqual(readParams(TOKEN_REQUEST_PARAMS, form), { audience: "https://api" });
  });
  it("refuses a recognised parameter that is not a string, naming it", () => {
    for (const value of [1, true, null, ["a"], { a: 1 }]) {
      assert.throws(
        () => readParams(TOKEN_REQUEST_PARAMS, { client_id: value }),
        (e: unknown) => e instanceof InvalidRequest && e.message === 'Parameter "client_id" must be a string',
      );
    }
  });
});
