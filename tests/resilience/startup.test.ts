// What a fresh machine and an operator run first: start-up with and without
// secrets, the headless first owner, two servers sharing one embedded
// database, the CLI from any directory, and `npm run db:migrate` on a fresh
// database of either kind.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { startPostgres } from "../harness/postgres";
import { startServer, type TestServer } from "../harness/server";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

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
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("next-auth.session-token=") || c.startsWith("__Secure-next-auth.session-token="));
  return session ? [...jar, session].join("; ") : null;
}

test("production on PostgreSQL without GRANTRY_ENCRYPTION_KEY and NEXTAUTH_SECRET does not start, and says why", { timeout: 120_000 }, async () => {
  await assert.rejects(
    startServer({ name: "no-secrets", databaseUrl: "postgresql://grantry@127.0.0.1:1/grantry", env: { GRANTRY_ENCRYPTION_KEY: "", NEXTAUTH_SECRET: "" } }),
    /GRANTRY_ENCRYPTION_KEY and NEXTAUTH_SECRET must be set in production/,
  );
});

test("GRANTRY_ADMIN_EMAIL and GRANTRY_ADMIN_PASSWORD create the first owner headlessly; a short password stops start-up by name", { timeout: 180_000 }, async () => {
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
});

test("a second server on the same embedded database keeps working after the first one stops", { timeout: 240_000 }, async () => {
  const first = await startServer({ name: "first" });
  servers.push(first);
  const dataDir = first.env.GRANTRY_DATA_DIR!;
  const second = await startServer({ name: "second", env: { GRANTRY_DATA_DIR: dataDir } });
  servers.push(second);
  const lockPath = path.join(dataDir, "embedded-db.lock");
  const ownerBefore = JSON.parse(fs.readFileSync(lockPath, "utf8")) as { pid: number; port: number };
  assert.equal(second.env.DATABASE_URL, first.env.DATABASE_URL, "the second server reuses the first one's database");

  await first.stop();
  await until("the second server's database answers again", 60_000, async () => (await fetch(`${second.url}/api/health`)).status === 200);
  const ownerAfter = JSON.parse(fs.readFileSync(lockPath, "utf8")) as { pid: number; port: number };
  assert.notEqual(ownerAfter.pid, ownerBefore.pid, "a new embedded server owns the directory");
  assert.equal(ownerAfter.port, ownerBefore.port, "on the same port, where the connections point");
  const setup = await fetch(`${second.url}/setup`);
  assert.equal(setup.status, 200, "the dashboard reads the database too");

  await second.stop();
  await until("the lock is released", 15_000, async () => !fs.existsSync(lockPath));
});

test("the grantry bin works from any directory: a relative GRANTRY_DATA_DIR is the caller's; a CLI tenant is owned by the only admin", { timeout: 240_000 }, async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-cli-"));
  const env: NodeJS.ProcessEnv = { ...process.env, GRANTRY_DATA_DIR: "data", GRANTRY_URL: "https://auth.example.com" };
  delete env.DATABASE_URL;
  delete env.GRANTRY_EMBEDDED_DB;
  const grantry = (...args: string[]) => run(process.execPath, [path.join(ROOT, "bin", "grantry.mjs"), ...args, "--json"], { cwd, env });
  try {
    await grantry("admin", "create", "--email", "cli@example.com", "--password", "a long enough password");
    const tenant = JSON.parse((await grantry("tenant", "create", "--slug", "acme")).stdout) as { owner: string; issuer: string };
    assert.deepEqual([tenant.owner, tenant.issuer], ["cli@example.com", "https://auth.example.com/t/acme"]);
    assert.ok(fs.existsSync(path.join(cwd, "data", "pgdata")), "the data directory is under the caller's directory");
    await grantry("admin", "create", "--email", "second@example.com", "--password", "a long enough password");
    await assert.rejects(grantry("tenant", "create", "--slug", "beta"), (e: { code: number; stderr: string }) => e.code === 1 && /--owner: several admins exist/.test(e.stderr));
    const beta = JSON.parse((await grantry("tenant", "create", "--slug", "beta", "--owner", "second@example.com")).stdout) as { owner: string };
    assert.equal(beta.owner, "second@example.com");
    await assert.rejects(grantry("api", "create", "--tenant", "acme", "--name", "X", "--identifier", "https://x.example.com", "--alg", "HS256"), (e: { code: number; stderr: string }) => {
      const body = JSON.parse(e.stderr) as { error: { details: Record<string, string> } };
      return e.code === 1 && "--alg" in body.error.details;
    });
    await assert.rejects(grantry("tenant", "create"), (e: { code: number; stderr: string }) => e.code === 2 && (JSON.parse(e.stderr) as { error: { message: string } }).error.message === "Missing --slug");
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});

test("npm run db:migrate works on a fresh embedded database and a fresh PostgreSQL database, and finds the schema in sync", { timeout: 300_000 }, async () => {
  const migrations = () => fs.readdirSync(path.join(ROOT, "prisma", "migrations")).sort();
  const committed = migrations();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-migrate-"));
  const postgres = await startPostgres();
  try {
    const base: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1" };
    delete base.DATABASE_URL;
    delete base.GRANTRY_EMBEDDED_DB;
    const targets: [string, NodeJS.ProcessEnv][] = [
      ["embedded", { ...base, GRANTRY_DATA_DIR: dataDir }],
      ["PostgreSQL", { ...base, DATABASE_URL: postgres.createDatabase("grantry_migrate_dev") }],
    ];
    for (const [label, env] of targets) {
      const { stdout, stderr } = await run("npm", ["run", "db:migrate", "--", "--name", "nothing_to_change"], { cwd: ROOT, env });
      assert.match(stdout + stderr, /Already in sync/, label);
      assert.deepEqual(migrations(), committed, "no migration was generated");
    }
  } finally {
    for (const dir of migrations().filter((m) => !committed.includes(m))) fs.rmSync(path.join(ROOT, "prisma", "migrations", dir), { recursive: true, force: true });
    await postgres.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
