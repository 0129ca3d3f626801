// Token endpoint rate limits: N+1 requests in a window give exactly one 429,
// and with REDIS_URL two instances share one limit.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, test } from "node:test";
import { freePort, isListening } from "../../lib/runtime/free-port";
import { seedClient, serversOnPostgres, stopSharedPostgres, tokenRequest } from "./support";

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect();
  for (const fn of cleanups.reverse()) await fn();
  stopSharedPostgres();
});

async function statuses(responses: Response[]) {
  return Promise.all(
    responses.map(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get("retry-after"),
      body: (await r.json()) as { error?: string; error_description?: string },
    })),
  );
}

test("per client: the sixth request within the window is the only 429, with Retry-After", { timeout: 180_000 }, async () => {
  const fixture = await serversOnPostgres("rl_client", 1, { GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "5/1m", GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "off" });
  cleanups.push(fixture.stop);
  const { app, api, tenant } = await seedClient();
  const results = [];
  for (let i = 0; i < 6; i++) results.push(await tokenRequest(tenant.tokenUrl, app.clientId, app.clientSecret, api.identifier));
  const got = await statuses(results);
  assert.deepEqual(
    got.map((r) => r.status),
    [200, 200, 200, 200, 200, 429],
  );
  assert.equal(got[5]!.body.error, "too_many_requests");
  assert.ok(Number(got[5]!.retryAfter) >= 1);
  // Wrong secrets for the same client do not drain its bucket further: they are refused as invalid_client.
  const wrong = await tokenRequest(tenant.tokenUrl, app.clientId, "grantry_wrong", api.identifier);
  assert.equal(wrong.status, 401);
});

test("per address: the sixth request from one address is the only 429, before any authentication", { timeout: 180_000 }, async () => {
  const fixture = await serversOnPostgres("rl_addr", 1, { GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "5/1m", GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "off" });
  cleanups.push(fixture.stop);
  const { tenant, api } = await seedClient();
  const url = `${fixture.servers[0]!.url}/t/${tenant.slug}/oauth/token`;
  const results = [];
  for (let i = 0; i < 6; i++) results.push(await tokenRequest(url, "nobody", "grantry_nothing", api.identifier));
  assert.deepEqual(
    (await statuses(results)).map((r) => r.status),
    [401, 401, 401, 401, 401, 429],
  );
});

test(
  "per address behind a trusted proxy: each client address has its own bucket on both adapters, a forged left-most X-Forwarded-For entry escapes nothing; untrusted, the header is ignored",
  { timeout: 300_000 },
  async () => {
    const limits = { GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "2/1m", GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "off" };
    const fixture = await serversOnPostgres("rl_proxy", 1, { ...limits, GRANTRY_TRUST_PROXY: "1", GRANTRY_TRUSTED_PROXIES: "127.0.0.0/8,10.0.0.0/8" });
    cleanups.push(fixture.stop);
    const next = await serversOnPostgres("rl_proxy_next", 1, {
      ...limits,
      GRANTRY_TRUST_PROXY: "1",
      GRANTRY_TRUSTED_PROXIES: "127.0.0.0/8,10.0.0.0/8",
      GRANTRY_FAST_PATH: "0",
    });
    cleanups.push(next.stop);
    const untrusted = await serversOnPostgres("rl_untrusted", 1, limits);
    cleanups.push(untrusted.stop);
    const { tenant, api } = await seedClient();
    const from = (base: string, address: string) => fromChain(base, `${address}, 10.0.0.1`);
    const fromChain = (base: string, chain: string) =>
      fetch(`${base}/t/${tenant.slug}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": chain },
        body: JSON.stringify({ grant_type: "client_credentials", client_id: "nobody", client_secret: "grantry_nothing", audience: api.identifier }),
      }).then((r) => r.status);
    for (const server of [fixture.servers[0]!, next.servers[0]!]) {
      const adapter = server.env.GRANTRY_FAST_PATH === "0" ? "Next route handlers" : "fast path";
      const first = [await from(server.url, "203.0.113.1"), await from(server.url, "203.0.113.1"), await from(server.url, "203.0.113.1")];
      assert.deepEqual(first, [401, 401, 429], `${adapter}: the third request from one forwarded address is refused`);
      assert.equal(await from(server.url, "203.0.113.2"), 401, `${adapter}: another forwarded address has a bucket of its own`);
      // The client writes a new X-Forwarded-For each time; the proxy appends its real address (203.0.113.50).
      const rotated = [];
      for (const spoof of ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) rotated.push(await fromChain(server.url, `${spoof}, 203.0.113.50, 10.0.0.1`));
      assert.deepEqual(rotated, [401, 401, 429], `${adapter}: rotating a forged left-most entry does not escape the limit`);
    }
    const base = untrusted.servers[0]!.url;
    const spoofed = [await from(base, "198.51.100.1"), await from(base, "198.51.100.2"), await from(base, "198.51.100.3")];
    assert.deepEqual(spoofed, [401, 401, 429], "without GRANTRY_TRUST_PROXY every request counts against the socket's address");
  },
);

test("with REDIS_URL, two instances enforce one shared limit", { timeout: 240_000 }, async () => {
  const port = await freePort();
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  cleanups.push(() => void redis.kill("SIGTERM"));
  for (let i = 0; i < 50 && !(await isListening(port)); i++) await new Promise((r) => setTimeout(r, 100));
  const fixture = await serversOnPostgres("rl_redis", 2, {
    REDIS_URL: `redis://127.0.0.1:${port}`,
    GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "6/1m",
    GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "off",
  });
  cleanups.push(fixture.stop);
  const [a, b] = fixture.servers;
  const { app, api, tenant } = await seedClient();
  const results = [];
  for (let i = 0; i < 7; i++) {
    const base = (i % 2 === 0 ? a : b)!.url;
    results.push(await tokenRequest(`${base}/t/${tenant.slug}/oauth/token`, app.clientId, app.clientSecret, api.identifier));
  }
  const got = (await statuses(results)).map((r) => r.status);
  assert.deepEqual(got, [200, 200, 200, 200, 200, 200, 429], "six allowed across both instances, the seventh refused");

  // Token quotas are counted in the same Redis: an hourly quota of 3 holds across both instances.
  const quota = await seedClient();
  const { updateApplication } = await import("../../lib/domain/applications");
  const { SYSTEM_ACTOR } = await import("../../lib/domain/audit");
  await updateApplication(quota.tenant.id, quota.app.id, { quota_per_hour: 3 }, SYSTEM_ACTOR);
  const quotaResults = [];
  for (let i = 0; i < 4; i++) {
    const base = (i % 2 === 0 ? a : b)!.url;
    quotaResults.push(await tokenRequest(`${base}/t/${quota.tenant.slug}/oauth/token`, quota.app.clientId, quota.app.clientSecret, quota.api.identifier));
  }
  const quotaGot = await statuses(quotaResults);
  assert.deepEqual(
    quotaGot.map((r) => r.status),
    [200, 200, 200, 429],
    "three tokens across both instances, the fourth refused",
  );
  assert.match(quotaGot[3]!.body.error_description ?? "", /3 tokens per hour/);

  // Redis gone: a quick 503 temporarily_unavailable, never a hang or a 500; back: served again.
  const fresh = await seedClient();
  const url = `${a!.url}/t/${fresh.tenant.slug}/oauth/token`;
  redis.kill("SIGKILL");
  for (let i = 0; i < 50 && (await isListening(port)); i++) await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  const [down] = await statuses([await tokenRequest(url, fresh.app.clientId, fresh.app.clientSecret, fresh.api.identifier)]);
  assert.equal(down!.status, 503);
  assert.equal(down!.body.error, "temporarily_unavailable");
  assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
  const again = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  cleanups.push(() => void again.kill("SIGTERM"));
  let back = 0;
  for (let i = 0; i < 60 && back !== 200; i++) {
    back = (await tokenRequest(url, fresh.app.clientId, fresh.app.clientSecret, fresh.api.identifier)).status;
    if (back !== 200) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(back, 200, "served again once Redis is back");
});
