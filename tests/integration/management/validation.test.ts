// Bad input is a 4xx with `{ error: { code, message, details } }` naming the
// fields, never a 5xx; unknown fields and parameters are refused.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, call, type Reply, type Tenant } from "./support";

after(() => db.$disconnect());

function assertError(res: Reply, status: number, code: string, fields: string[] = []) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.deepEqual(Object.keys(res.body), ["error"]);
  assert.deepEqual(Object.keys(res.body.error).sort(), ["code", "details", "message"]);
  assert.equal(res.body.error.code, code);
  for (const field of fields) assert.ok(res.body.error.details[field], `details should name "${field}": ${JSON.stringify(res.body.error.details)}`);
}

describe("validation and errors", () => {
  let tenant: Tenant;
  let token: string;
  before(async () => ({ tenant, token } = await adminSession("valid")));

  it("422 names each invalid field", async () => {
    assertError(await call(tenant, "POST", "/applications", { token, body: {} }), 422, "validation_failed", ["name"]);
    assertError(await call(tenant, "POST", "/applications", { token, body: { name: " ", description: "x".repeat(501) } }), 422, "validation_failed", [
      "name",
      "description",
    ]);
    assertError(
      await call(tenant, "POST", "/apis", { token, body: { name: "A", identifier: "not a url", token_lifetime: 5, signing_alg: "HS256" } }),
      422,
      "validation_failed",
      ["identifier", "token_lifetime", "signing_alg"],
    );
    assertError(
      await call(tenant, "POST", "/apis", { token, body: { name: "A", identifier: "https://a.example.com", scopes: [{ name: "ok" }, { name: "bad scope" }] } }),
      422,
      "validation_failed",
      ["scopes.1.name"],
    );
    assertError(await call(tenant, "PATCH", `/applications/${"x"}`, { token, body: { enabled: "yes", quota_per_hour: -1 } }), 422, "validation_failed", [
      "enabled",
      "quota_per_hour",
    ]);
    assertError(await call(tenant, "POST", "/applications", { token, body: ["not", "an", "object"] }), 422, "validation_failed", ["_"]);
  });

  it("unknown fields and query parameters are refused", async () => {
    assertError(await call(tenant, "POST", "/applications", { token, body: { name: "A", client_id: "chosen-by-me" } }), 422, "validation_failed", [
      "client_id",
    ]);
    assertError(
      await call(tenant, "POST", "/apis", { token, body: { name: "A", identifier: "https://b.example.com", scopes: [{ name: "s", extra: 1 }] } }),
      422,
      "validation_failed",
      ["scopes.0.extra"],
    );
    assertError(await call(tenant, "GET", "/applications?sort=name", { token }), 422, "validation_failed", ["sort"]);
    assertError(await call(tenant, "GET", "/applications?per_page=1000&page=0", { token }), 422, "validation_failed", ["per_page", "page"]);
    assertError(await call(tenant, "GET", "/applications?page=1&page=2", { token }), 422, "validation_failed", ["page"]);
  });

  it("malformed JSON is 400, another content type 415, NUL characters 422", async () => {
    assertError(
      await call(tenant, "POST", "/applications", { token, raw: '{"name": "A",', headers: { "content-type": "application/json" } }),
      400,
      "invalid_json",
    );
    assertError(
      await call(tenant, "POST", "/applications", { token, raw: "name=A", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
    assertError(await call(tenant, "POST", "/applications", { token, body: { name: "A\u0000B" } }), 422, "validation_failed", ["name"]);
    assertError(await call(tenant, "GET", "/applications?q=%00", { token }), 422, "validation_failed", ["q"]);
    // fetch() labels a string body text/plain when a script forgets the header.
    const created = await call(tenant, "POST", "/applications", { token, raw: JSON.stringify({ name: "Plain text" }) });
    assert.equal(created.status, 201, "a JSON body sent as text/plain is accepted");
  });

  it("unknown paths 404, wrong methods 405, malformed ids 400, unknown ids 404", async () => {
    assertError(await call(tenant, "GET", "/nothing-here", { token }), 404, "not_found");
    const wrong = await call(tenant, "PUT", "/applications", { token, body: {} });
    assertError(wrong, 405, "method_not_allowed");
    assert.equal(wrong.headers.get("allow"), "GET, POST");
    assertError(await call(tenant, "GET", `/applications/${encodeURIComponent("x'; drop table")}`, { token }), 400, "invalid_request", ["id"]);
    assertError(await call(tenant, "GET", `/applications/${"a".repeat(65)}`, { token }), 400, "invalid_request", ["id"]);
    assertError(await call(tenant, "GET", "/applications/cunknown000000000000000000", { token }), 404, "not_found");
    assertError(await call(tenant, "DELETE", "/grants/cunknown000000000000000000", { token }), 404, "not_found");
  });

  it("no 5xx for odd input, and no cookies either way", async () => {
    const odd: Array<[string, string, unknown]> = [
      ["POST", "/applications", { name: 12 }],
      ["POST", "/applications", { name: "x".repeat(100_000) }],
      ["POST", "/grants", { application_id: null, scopes: "all" }],
      ["PATCH", "/grants/x", { scopes: [1, 2], expires_at: "tomorrow" }],
      ["POST", "/apis", { name: "A", identifier: "https://c.example.com", token_lifetime: 1e400 }],
      ["POST", "/apis", { name: "A", identifier: "urn:x:" + "y".repeat(500) }],
      ["POST", "/keys/rotate", { algs: [] }],
      ["GET", "/logs?from=not-a-date", undefined],
    ];
    for (const [method, path, body] of odd) {
      const res = await call(tenant, method, path, { token, body });
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.headers.get("set-cookie"), null);
    }
    assert.equal((await call(tenant, "GET", "/grants?audience=%E0%A4%A", { token })).status, 200, "URLSearchParams decodes leniently");
    const deep = await call(tenant, "POST", "/applications", {
      token,
      raw: "[".repeat(5000) + "]".repeat(5000),
      headers: { "content-type": "application/json" },
    });
    assert.ok(deep.status >= 400 && deep.status < 500, String(deep.status));
  });
});
