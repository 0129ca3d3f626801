// Start-up: without the secrets production needs, and the headless first
// owner from GRANTRY_ADMIN_EMAIL and GRANTRY_ADMIN_PASSWORD. (Each file of the
// resilience suite must finish within the runner's 180 s per file.)
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startServer, type TestServer } from "../harness/server";

const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

/** Signs in through next-auth's credentials endpoint; the session cookie, or null when refused. */
async function signIn(base: string, email: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("next-auth.session-token=") || c.startsWith("__Secure-next-auth.session-token="));
  return session ? [...jar, session].join("; ") : null;
}

test("production on PostgreSQL without GRANTRY_ENCRYPTION_KEY and NEXTAUTH_SECRET does not start, and says why", { timeout: 120_000 }, async () => {
  await assert.rejects(
    startServer({ name: "no-secrets", databaseUrl: "postgresql://grantry@127.0.0.1:1/grantry", env: { GRANTRY_ENCRYPTION_KEY: "", NEXTAUTH_SECRET: "" } }),
    /GRANTRY_ENCRYPTION_KEY and NEXTAUTH_SECRET must be set in production/,
  );
});

test(
  "GRANTRY_ADMIN_EMAIL and GRANTRY_ADMIN_PASSWORD create the first owner headlessly; a short password stops start-up by name",
  { timeout: 180_000 },
  async () => {
    await assert.rejects(
      startServer({ name: "bad-admin", env: { GRANTRY_ADMIN_EMAIL: "ops@example.com", GRANTRY_ADMIN_PASSWORD: "too short" } }),
      /GRANTRY_ADMIN_PASSWORD: At least 12 characters/,
    );
    const server = await startServer({ name: "admin", env: { GRANTRY_ADMIN_EMAIL: " Ops@Example.com ", GRANTRY_ADMIN_PASSWORD: "a long enough password" } });
    servers.push(server);
    assert.equal(await signIn(server.url, "ops@example.com", "not the password"), null, "a wrong password is refused");
    const cookie = await signIn(server.url, "ops@example.com", "a long enough password");
    assert.ok(cookie, "the headless owner signs in");
    const page = await fetch(`${server.url}/dashboard/default/settings`, { headers: { cookie }, redirect: "manual" });
    assert.equal(page.status, 200, "and owns the default tenant");
    const setup = await fetch(`${server.url}/setup`, { redirect: "manual" });
    assert.notEqual(setup.status, 200, "setup is over");
  },
);
