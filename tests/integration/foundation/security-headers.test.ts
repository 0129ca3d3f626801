import assert from "node:assert/strict";
import { test } from "node:test";

const base = process.env.GRANTRY_TEST_URL!;

test("dashboard pages carry a nonce CSP that forbids framing, and the other security headers", async () => {
  for (const path of ["/login", "/setup", "/dashboard"]) {
    const res = await fetch(`${base}${path}`, { redirect: "manual" });
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/, `${path}: ${csp}`);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  }
  const [a, b] = await Promise.all([fetch(`${base}/login`), fetch(`${base}/login`)]);
  assert.notEqual(a.headers.get("content-security-policy"), b.headers.get("content-security-policy"), "a fresh nonce per response");
});

test("next-auth's pages and answers under /api/auth carry the CSP and forbid framing too", async () => {
  for (const path of [
    "/api/auth/signin",
    "/api/auth/signout",
    "/api/auth/error",
    "/api/auth/error?error=AccessDenied",
    "/api/auth/csrf",
    "/api/auth/session",
    "/api/auth/providers",
  ]) {
    const res = await fetch(`${base}${path}`, { redirect: "manual" });
    await res.body?.cancel();
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, path);
    assert.equal(res.headers.get("x-frame-options"), "DENY", path);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
  }
});

test("the protocol and API paths skip the dashboard's proxy", async () => {
  const res = await fetch(`${base}/api/health`);
  assert.equal(res.headers.get("content-security-policy"), null);
  assert.equal(res.headers.get("set-cookie"), null);
});

test("a server action posted from another origin is refused with 403 and changes nothing", async () => {
  const res = await fetch(`${base}/setup`, {
    method: "POST",
    headers: { "next-action": "0".repeat(42), origin: "http://evil.example", "content-type": "text/plain;charset=UTF-8" },
    body: "[]",
  });
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, "forbidden");
});
