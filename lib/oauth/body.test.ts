import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBody, parseFormBody, parseJsonBody } from "./body";
import { InvalidRequest } from "./errors";

const json = (body: string, type = "application/json") => parseBody({ headers: { "content-type": type }, body });

describe("parseBody", () => {
  it("reads a JSON object, with or without a charset", () => {
    assert.deepEqual(json('{"grant_type":"client_credentials"}'), { grant_type: "client_credentials" });
    assert.deepEqual(json('{"a":"b"}', "application/json; charset=utf-8"), { a: "b" });
    assert.deepEqual(json('{"a":"b"}', "Application/JSON"), { a: "b" });
  });

  it("reads a form, decoding + and percent escapes (RFC 6749 Appendix B)", () => {
    const params = parseBody({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b+c&d=%2B%26%3D&e=&f" });
    assert.deepEqual({ ...params }, { a: "b c", d: "+&=", e: "", f: "" });
  });

  it("refuses any other content type, or none", () => {
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "", "application/jsonx"]) {
      assert.throws(
        () => json('{"a":"b"}', type),
        (e: unknown) => e instanceof InvalidRequest && /must be application\/json/.test(e.message),
      );
    }
    assert.throws(() => parseBody({ headers: {}, body: "a=b" }), InvalidRequest);
  });

  it("refuses JSON that is not an object", () => {
    for (const body of ["", "[]", "null", '"x"', "1", "{", '{"a":1}x']) assert.throws(() => parseJsonBody(body), InvalidRequest);
  });

  it("refuses duplicate parameters in JSON, at the top level only (RFC 6749 §3.2)", () => {
    assert.throws(() => parseJsonBody('{"scope":"a","scope":"b"}'), /"scope" is included more than once/);
    assert.throws(() => parseJsonBody('{"a\\u0062":1, "ab":2}'), /"ab" is included more than once/);
    assert.deepEqual(parseJsonBody('{"a":{"x":1,"x":2},"b":[{"x":1},{"x":2}],"c":"\\"x\\":"}'), { a: { x: 2 }, b: [{ x: 1 }, { x: 2 }], c: '"x":' });
  });

  it("refuses duplicate and malformed form parameters", () => {
    assert.throws(() => parseFormBody("scope=a&scope=b"), /"scope" is included more than once/);
    assert.throws(() => parseFormBody("a=%E0%A4%A"), InvalidRequest);
    assert.throws(() => parseFormBody("a=%FF"), InvalidRequest);
  });

  it("keeps __proto__ as a plain parameter", () => {
    const params = parseFormBody("__proto__=x&constructor=y");
    assert.equal(params["__proto__"], "x");
    assert.equal(Object.getPrototypeOf(params), null);
  });
});
