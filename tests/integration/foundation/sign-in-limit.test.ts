// Sign-in attempts are limited per email (default 10 per 15 minutes).
import assert from "node:assert/strict";
import { test } from "node:test";

const base = process.env.GRANTRY_TEST_URL!;

async function attempt(email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const cookie = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-auth-return-redirect": "1" },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  return new URL(location, base).searchParams.get("error") ?? "none";
}

test("the 11th sign-in attempt for one email within the window is refused as too many", async () => {
  const email = `limit-${Date.now()}@example.com`;
  const errors: string[] = [];
  for (let i = 0; i < 11; i++) errors.push(await attempt(email, "wrong password 123"));
  assert.deepEqual(errors.slice(0, 10), Array(10).fill("CredentialsSignin"));
  assert.equal(errors[10], "TooManyAttempts");
  assert.equal(await attempt(`other-${Date.now()}@example.com`, "wrong password 123"), "CredentialsSignin", "other emails are not affected");
});
