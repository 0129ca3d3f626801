import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@/lib/domain/errors";
import { findNul, queryObject, readJsonBody } from "./input";

const request = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  url: new URL("https://example.com/api/v1/apis"),
  header: (name: string) => headers[name],
  // As the adapters read it: null once the declared or actual size passes the limit.
  text: async (max: number) => (Number(headers["content-length"] ?? 0) > max || Buffer.byteLength(body) > max ? null : body),
});

const rejects = (promise: Promise<unknown>, code: string) => assert.rejects(promise, (e: unknown) => e instanceof DomainError && e.code === code);

test("bodies: JSON parsed, empty as {}, anything else a 4xx", async () => {
  assert.deepEqual(await readJsonBody(request('{"a":1}', { "content-type": "application/json; charset=utf-8" })), { a: 1 });
  assert.deepEqual(await readJsonBody(request("")), {});
  assert.deepEqual(await readJsonBody(request("[1]")), [1]);
  await rejects(readJsonBody(request("{nope", { "content-type": "application/json" })), "invalid_json");
  await rejects(readJsonBody(request("a=1", { "content-type": "application/x-www-form-urlencoded" })), "unsupported_media_type");
  await rejects(readJsonBody(request("{}", { "content-length": String(2 * 1024 * 1024) })), "payload_too_large");
  await rejects(readJsonBody(request('{"name":"a\\u0000b"}')), "validation_failed");
});

test("NUL characters are found wherever they hide", () => {
  assert.equal(findNul({ a: [{ b: "x\u0000" }] }), "a.0.b");
  assert.equal(findNul({ "k\u0000": 1 }), "k\u0000");
  assert.equal(findNul({ a: ["fine"], n: 1, z: null }), undefined);
});

test("query parameters: one value each", () => {
  assert.deepEqual(queryObject(new URLSearchParams("page=2&q=x")), { page: "2", q: "x" });
  assert.throws(
    () => queryObject(new URLSearchParams("page=1&page=2")),
    (e: unknown) => e instanceof DomainError && e.details.page === "Given more than once",
  );
});

test("deep nesting is refused, not a stack overflow", () => {
  const deep = JSON.parse("[".repeat(100_000) + "]".repeat(100_000));
  assert.throws(
    () => findNul(deep),
    (e: unknown) => e instanceof DomainError && e.code === "invalid_json",
  );
  assert.equal(findNul(JSON.parse("[".repeat(30) + "]".repeat(30))), undefined);
});
