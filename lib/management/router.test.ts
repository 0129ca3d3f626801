import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@/lib/domain/errors";
import { defineRoute } from "./route";
import { matchRoute, splitPath } from "./router";

const handle = async () => undefined;
const table = [
  defineRoute({ method: "GET", path: "/apis/{id}", operationId: "a", summary: "", tag: "t", scope: "read:apis", handle }),
  defineRoute({ method: "DELETE", path: "/apis/{id}/scopes/{name}", operationId: "b", summary: "", tag: "t", scope: "update:apis", handle }),
  defineRoute({ method: "POST", path: "/keys/rotate", operationId: "c", summary: "", tag: "t", scope: "rotate:keys", handle }),
];

const fails = (fn: () => unknown, code: string) => assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === code);

test("patterns match with their params, percent-decoded per segment", () => {
  assert.deepEqual(matchRoute(table, "GET", "/apis/abc").params, { id: "abc" });
  assert.deepEqual(matchRoute(table, "DELETE", "/apis/abc/scopes/read%3Aorders%2Fall").params, { id: "abc", name: "read:orders/all" });
  assert.equal(matchRoute(table, "POST", "/keys/rotate").route.operationId, "c");
});

test("an unknown path is 404; a known path with another method is 405 with Allow", () => {
  fails(() => matchRoute(table, "GET", "/nope"), "not_found");
  fails(() => matchRoute(table, "GET", "/apis"), "not_found");
  fails(() => matchRoute(table, "GET", "/apis//"), "not_found");
  assert.throws(
    () => matchRoute(table, "PUT", "/apis/abc"),
    (e: unknown) => e instanceof DomainError && e.status === 405 && e.headers.allow === "GET",
  );
});

test("malformed percent-encoding is 400, not a crash", () => {
  fails(() => splitPath("/apis/%E0%A4%A"), "invalid_request");
});
