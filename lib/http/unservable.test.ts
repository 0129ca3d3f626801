import assert from "node:assert/strict";
import { test } from "node:test";
import { refuseUnservable } from "./unservable";

test("TRACE and TRACK are 405, other methods pass", () => {
  assert.equal(refuseUnservable("TRACE", "/api/health")?.status, 405);
  assert.match(refuseUnservable("TRACE", "/")?.headers.allow ?? "", /^GET, HEAD, POST/, "a 405 names the methods that are allowed (RFC 9110 §15.5.6)");
  assert.equal(refuseUnservable("track", "/")?.status, 405);
  for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", undefined])
    assert.equal(refuseUnservable(method, "/api/v1/apis"), null);
});

test("a path that is not valid percent-encoding is 400; the query is left to the route", () => {
  for (const path of ["/api/v1/%ZZ", "/t/%ZZ/oauth/token", "/api/v1/apis/%E0%A4%A", "/api/v1/apis/%C0%80", "/api/v1/apis/%ED%A0%80", "/a%"]) {
    assert.equal(refuseUnservable("GET", path)?.status, 400, path);
  }
  for (const url of ["/api/v1/apis/a%2Fb", "/api/v1/apis/%C3%A9", "/api/v1/apis?q=%ZZ", "/t/acme/api/v1/apis/x%00y", undefined])
    assert.equal(refuseUnservable("GET", url), null, url);
});
