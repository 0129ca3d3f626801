import assert from "node:assert/strict";
import { test } from "node:test";

const base = process.env.GRANTRY_TEST_URL!;

test("GET /api/health answers 200 with the database status (and no keys field while the keys open)", async () => {
  const res = await fetch(`${base}/api/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok", database: "ok" });
  assert.equal(res.headers.get("cache-control"), "no-store");
});

test("the dashboard redirects a signed-out visitor away from tenant pages", async () => {
  const res = await fetch(`${base}/dashboard/default/applications`, { redirect: "manual" });
  assert.ok([302, 303, 307].includes(res.status), `status ${res.status}`);
  assert.match(res.headers.get("location") ?? "", /\/(login|setup)$/);
});

test("GET /api/health/live answers 200 without a dependency field (liveness), also with a query string and as HEAD", async () => {
  const res = await fetch(`${base}/api/health/live?probe=1`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
  assert.equal(res.headers.get("cache-control"), "no-store");
  const head = await fetch(`${base}/api/health/live`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
});
