// `npm start` runs the protocol server (one, or --workers N behind a cluster
// primary) and one Next.js process behind it. Changes made in the dashboard's
// process reach every protocol process at once; the token endpoint does not
// depend on Next.js being up; and no process outlives the server.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { after, test } from "node:test";
import { SignJWT } from "jose";
import { workerPoolSize } from "../../lib/runtime/thread-pool";
import { SCHED_BATCH, SCHED_OTHER, threadPolicies } from "../../lib/runtime/thread-policy";
import { startServer, TEST_ENCRYPTION_KEY, type TestServer } from "../harness/server";

const servers: TestServer[] = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const server of servers) await server.stop();
});

/** A server on its own embedded database; this process seeds it through lib/domain. */
async function embeddedServer(name: string, env: Record<string, string>): Promise<TestServer> {
  const server = await startServer({ name, env });
  servers.push(server);
  process.env.DATABASE_URL = server.env.DATABASE_URL;
  process.env.GRANTRY_URL = server.url;
  process.env.GRANTRY_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
  return server;
}

/** POST on a connection of its own, so the cluster spreads requests over the workers. */
function tokenStatus(tokenUrl: string, body: Record<string, string>): Promise<{ status: number; error?: string; token?: string }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request(
      tokenUrl,
      { method: "POST", agent: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } },
      (res) => {
        let data = "";
        res.on("data", (c: Buffer) => (data += c.toString()));
        res.on("end", () => {
          const json = JSON.parse(data) as { error?: string; access_token?: string };
          resolve({ status: res.statusCode ?? 0, error: json.error, token: json.access_token });
        });
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return ppid === pid ? [{ pid: Number(d), cmdline: fs.readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ") }] : [];
      } catch {
        return [];
      }
    });
}

const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));

/** The protocol process's event loop keeps the default policy; its other threads (the signing pool among them) are in SCHED_BATCH (lib/runtime/thread-policy.ts). */
function assertBatchedHelpers(pid: number, batched = true): void {
  const policies = threadPolicies(pid);
  assert.equal(policies.get(pid), SCHED_OTHER, `process ${pid}: the event loop's policy`);
  const helpers = [...policies].filter(([tid]) => tid !== pid).map(([, policy]) => policy);
  assert.ok(helpers.length >= 4, `process ${pid}: ${helpers.length} helper threads`);
  assert.deepEqual(new Set(helpers), new Set([batched ? SCHED_BATCH : SCHED_OTHER]), `process ${pid}: helper threads' policies`);
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

async function seedTenantWithScript() {
  const { seedApi, seedApplication, seedGrant, seedTenant, managementApi } = await import("../integration/helpers/seed");
  const tenant = await seedTenant();
  const app = await seedApplication(tenant.id);
  const api = await seedApi(tenant.id, { scopes: ["read"] });
  const grant = await seedGrant(tenant.id, app.id, api);
  const script = await seedApplication(tenant.id, "Management script");
  await seedGrant(tenant.id, script.id, await managementApi(tenant.id), ["delete:grants"]);
  return { tenant, app, api, grant, script };
}

test(
  "--workers 2 on the embedded database: a grant deleted through the Management API stops tokens on every worker at once",
  { timeout: 180_000 },
  async () => {
    // A cache TTL of 10 minutes and no NOTIFY on the embedded database: only the processes' IPC relay can tell the workers.
    const server = await embeddedServer("workers", { GRANTRY_WORKERS: "2", GRANTRY_CACHE_TTL_MS: "600000" });
    // Workers run scripts/start.mjs (the compiled server); the primary's other children (Next.js, the embedded database) do not.
    const protocolProcesses = childrenOf(server.pid).filter((c) => /\bstart\.mjs\b/.test(c.cmdline));
    assert.equal(protocolProcesses.length, 2, `two workers: ${JSON.stringify(childrenOf(server.pid))}`);
    assert.equal(childrenOf(server.pid).filter((c) => c.cmdline.includes("next-child")).length, 1, "one Next.js process for both workers");
    // Each worker signs on its share of the cores, not on libuv's 4 threads (lib/runtime/thread-pool.ts).
    const poolSize = process.env.UV_THREADPOOL_SIZE ?? String(workerPoolSize(os.availableParallelism(), 2));
    for (const worker of protocolProcesses) {
      const environ = fs.readFileSync(`/proc/${worker.pid}/environ`, "utf8").split("\0");
      assert.ok(environ.includes(`UV_THREADPOOL_SIZE=${poolSize}`), `worker ${worker.pid} starts with UV_THREADPOOL_SIZE=${poolSize}`);
      // The primary's health check passes once one worker listens: the other may still be starting.
      await until(`worker ${worker.pid}'s helper threads in SCHED_BATCH`, 30_000, () => {
        try {
          assertBatchedHelpers(worker.pid);
          return true;
        } catch {
          return false;
        }
      });
      assertBatchedHelpers(worker.pid);
    }

    const { tenant, app, api, grant, script } = await seedTenantWithScript();
    // A public key for the application, before any worker loads the tenant (the test process tells no worker of changes).
    const signer = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const { createClientKey } = await import("../../lib/domain/client-keys");
    const { SYSTEM_ACTOR } = await import("../../lib/domain/audit");
    await createClientKey(tenant.id, app.id, { name: "worker key", public_key: { ...signer.publicKey.export({ format: "jwk" }), kid: "w1" } }, SYSTEM_ACTOR);
    const request = { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, audience: api.identifier };
    // Every worker caches the grant.
    for (let i = 0; i < 20; i++) assert.equal((await tokenStatus(tenant.tokenUrl, request)).status, 200);

    // One client assertion, sent on six connections (spread over both workers): accepted once, whichever worker sees it first.
    const assertion = await new SignJWT({ iss: app.clientId, sub: app.clientId, aud: tenant.issuer, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: "w1" })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(signer.privateKey);
    const replays = [];
    for (let i = 0; i < 6; i++) {
      replays.push(
        await tokenStatus(tenant.tokenUrl, {
          grant_type: "client_credentials",
          audience: api.identifier,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
        }),
      );
    }
    assert.deepEqual(
      replays.map((r) => r.status).sort(),
      [200, 401, 401, 401, 401, 401],
      `a replay to the other worker is refused too: ${JSON.stringify(replays.map((r) => [r.status, r.error]))}`,
    );

    const admin = await tokenStatus(tenant.tokenUrl, {
      grant_type: "client_credentials",
      client_id: script.clientId,
      client_secret: script.clientSecret,
      audience: tenant.issuer,
    });
    assert.equal(admin.status, 200);
    const deleted = await fetch(`${tenant.issuer}/api/v1/grants/${grant.id}`, { method: "DELETE", headers: { authorization: `Bearer ${admin.token}` } });
    assert.equal(deleted.status, 204);

    // Within a moment on both workers (the relay is primary → worker, beside the response's own path).
    const settled = await until("every worker refuses the deleted grant", 2000, async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => tokenStatus(tenant.tokenUrl, request)));
      return answers.every((a) => a.status === 403 && a.error === "access_denied");
    });
    assert.ok(settled < 2000);
    for (let i = 0; i < 20; i++) assert.equal((await tokenStatus(tenant.tokenUrl, request)).error, "access_denied");
  },
);

test("the Next.js process dies: tokens are still issued, and the dashboard is back within seconds; it dies with the server", { timeout: 180_000 }, async () => {
  // Switched off here (the workers above show it on): an operator's 0 leaves every thread as Linux starts it.
  const server = await embeddedServer("next-dies", { GRANTRY_BATCH_SCHEDULING: "0" });
  assertBatchedHelpers(server.pid, false);
  const { tenant, app, api } = await seedTenantWithScript();
  const request = { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, audience: api.identifier };
  assert.equal((await tokenStatus(tenant.tokenUrl, request)).status, 200);

  const next = childrenOf(server.pid).find((c) => c.cmdline.includes("next-child"));
  assert.ok(next, `a Next.js process: ${JSON.stringify(childrenOf(server.pid))}`);
  process.kill(next.pid, "SIGKILL");
  await until("the Next.js process is gone", 5000, () => !alive(next.pid));
  for (let i = 0; i < 10; i++) assert.equal((await tokenStatus(tenant.tokenUrl, request)).status, 200, "the token endpoint does not need Next.js");

  await until("the dashboard answers again", 60_000, async () => (await fetch(`${server.url}/api/health`).catch(() => null))?.status === 200);
  const replacement = childrenOf(server.pid).find((c) => c.cmdline.includes("next-child"));
  assert.ok(replacement && replacement.pid !== next.pid, "a new Next.js process");

  // SIGKILL leaves the server no chance to stop its children: the Next.js process notices and exits.
  process.kill(server.pid, "SIGKILL");
  await until("the Next.js process exits after its server", 10_000, () => !alive(replacement.pid));
});
