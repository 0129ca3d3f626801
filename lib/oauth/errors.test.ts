import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AccessDenied, InvalidClient, InvalidRequest, InvalidTarget, MethodNotAllowed, errorResponse } from "./errors";

describe("errorResponse", () => {
  it("writes {error, error_description} with the RFC 6749 §5.2 status, never cacheable", () => {
    const res = errorResponse(new InvalidRequest("grant_type is required"));
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { error: "invalid_request", error_description: "grant_type is required" });
    assert.equal(res.headers["Cache-Control"], "no-store");
    assert.equal(res.headers["Pragma"], "no-cache");
    assert.match(res.headers["Content-Type"]!, /^application\/json/);
  });

  it("gives each code its status", () => {
    assert.equal(errorResponse(new InvalidClient()).status, 401);
    assert.equal(errorResponse(new AccessDenied("x")).status, 403);
    assert.equal(errorResponse(new InvalidTarget("x")).status, 400);
    assert.equal(errorResponse(new InvalidRequest("big", 413)).status, 413);
  });

  it("adds the Basic challenge only when asked", () => {
    assert.equal(errorResponse(new InvalidClient()).headers["WWW-Authenticate"], undefined);
    assert.equal(errorResponse(new InvalidClient("x", 'Basic realm="r"')).headers["WWW-Authenticate"], 'Basic realm="r"');
  });

  it("answers 405 with Allow", () => {
    const res = errorResponse(new MethodNotAllowed(["GET", "HEAD"]));
    assert.equal(res.status, 405);
    assert.equal(res.headers["Allow"], "GET, HEAD");
  });

  it("turns anything unexpected into a bare server_error", () => {
    const res = errorResponse(new Error("connection to 10.0.0.5 refused"));
    assert.equal(res.status, 500);
    const body = JSON.parse(res.body) as Record<string, string>;
    assert.equal(body.error, "server_error");
    assert.doesNotMatch(res.body, /10\.0\.0\.5/);
  });
});
