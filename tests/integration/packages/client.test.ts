// @grantry/client against a running Grantry, counted on Grantry's own usage
// counters (TokenUsage, flushed every GRANTRY_USAGE_FLUSH_MS): 20 concurrent
// callers in each of 3 processes sharing one Redis get one token per audience
// and scope; with a 4 s lifetime, refresh ahead of expiry keeps every call
// served without a wait, by a few requests between all three; a quota's 429
// Retry-After is honoured; with Redis down each replica falls back to its own cache.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createTokenClient, redisTokenCache, type TokenClientEvent, type TokenTarget } from "@grantry/client";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { updateApplication } from "@/lib/domain/applications";
import { tokenUsage } from "@/lib/domain/usage";
import { db } from "@/lib/db";
import { redisClient, redisMissing, startRedis, type RedisServer } from "../../../packages/client/test/redis-server";
import { seedApi, seedApplication, seedGrant, seedTenant, shortenTokenLifetime, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { serverUrl } from "../protocol/support";

after(() => db.$disconnect());
const exec = promisify(execFile);
const skip = redisMissing();
const FLUSH_MS = Number(process.env.GRANTRY_USAGE_FLUSH_MS ?? 5000);

let redis: RedisServer;
before(async () => {
  if (!skip) redis = await startRedis();
});
after(() => redis?.stop());

type Setup = { tenant: SeededTenant; app: SeededApp; apis: SeededApi[] };
async function setup(apiCount: number): Promise<Setup> {
  const tenant = await seedTenant();
  const app = await seedApplication(tenant.id);
  const apis: SeededApi[] = [];
  for (let i = 0; i < apiCount; i++) {
    const api = await seedApi(tenant.id, { scopes: ["read", "write"] });
    await seedGrant(tenant.id, app.id, api);
    apis.push(api);
  }
  return { tenant, app, apis };
}

/** Tokens issued per API and refusals by code, once the server has flushed its counters (and nothing more arrives). */
async function usage(s: Setup): Promise<{ issued: Record<string, number>; failures: Record<string, number> }> {
  const read = async () => {
    const issued: Record<string, number> = {};
    for (const api of s.apis) issued[api.identifier] = (await tokenUsage(s.tenant.id, { apiId: api.id })).issued;
    const failures: Record<string, number> = {};
    for (const day of (await tokenUsage(s.tenant.id, { applicationId: s.app.id })).days)
      for (const [code, n] of Object.entries(day.failures)) failures[code] = (failures[code] ?? 0) + n;
    return { issued, failures };
  };
  // Two flush intervals with no change: everything the server counted has landed.
  let last = JSON.stringify(await read());
  for (let stable = 0; stable < 2;) {
    await new Promise((r) => setTimeout(r, FLUSH_MS + 100));
    const now = JSON.stringify(await read());
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return JSON.parse(last) as { issued: Record<string, number>; failures: Record<string, number> };
}

type WorkerResult = { tokens: Record<string, string[]>; served: number; waited: number; coldCalls: number; expiredServed: number; errors: string[] };
async function replicas(
  s: Setup,
  targets: TokenTarget[],
  options: { processes: number; callers: number; durationMs: number; keyPrefix: string; refreshWindow?: [number, number] },
): Promise<WorkerResult[]> {
  const job = {
    tokenUrl: serverUrl(s.tenant.tokenUrl),
    clientId: s.app.clientId,
    clientSecret: s.app.clientSecret,
    redisUrl: redis.url,
    keyPrefix: options.keyPrefix,
    targets,
    callers: options.callers,
    durationMs: options.durationMs,
    refreshWindow: options.refreshWindow,
    // Started a moment from now, so the processes' callers begin together, after each has loaded.
    startAt: Date.now() + 4000,
  };
  const runs = Array.from({ length: options.processes }, () =>
    exec(process.execPath, ["--import", "tsx", "tests/integration/packages/client-worker.ts", JSON.stringify(job)], { timeout: 120_000, env: process.env }),
  );
  return (await Promise.all(runs)).map(({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as WorkerResult);
}

describe("@grantry/client against Grantry", { skip }, () => {
  it("20 callers in each of 3 processes sharing one Redis: one token request per audience and scope", { timeout: 120_000 }, async () => {
    const s = await setup(2);
    const [a, b] = s.apis as [SeededApi, SeededApi];
    const targets: TokenTarget[] = [
      { audience: a.identifier, scope: "read" },
      { audience: a.identifier, scope: "write read" },
      { audience: b.identifier, scope: "read" },
    ];
    const results = await replicas(s, targets, { processes: 3, callers: 20, durationMs: 1500, keyPrefix: `one-per-key-${s.tenant.slug}:` });
    for (const r of results) {
      assert.deepEqual(r.errors, []);
      assert.equal(r.expiredServed, 0);
      assert.equal(r.waited, r.coldCalls, "only the calls made before the process had a token waited");
    }
    // Every process holds the same single token per audience and scope.
    for (const key of Object.keys(results[0]!.tokens)) {
      const all = new Set(results.flatMap((r) => r.tokens[key] ?? []));
      assert.equal(all.size, 1, `${key}: ${all.size} tokens`);
    }
    assert.equal(Object.keys(results[0]!.tokens).length, 3);
    const counted = await usage(s);
    assert.deepEqual(counted.issued, { [a.identifier]: 2, [b.identifier]: 1 }, "Grantry issued one token per audience and scope");
    assert.deepEqual(counted.failures, {});
  });

  it("refresh ahead of expiry (4 s tokens): every call served without a wait, by a few requests between the three", { timeout: 120_000 }, async () => {
    const s = await setup(1);
    const api = s.apis[0]!;
    await shortenTokenLifetime(s.tenant.id, api.id, 4);
    const durationMs = 10_000;
    // Refreshed at 50–70 % of the 4 s (usable to 90 %): at least 800 ms for each refresh on a busy machine.
    const results = await replicas(s, [{ audience: api.identifier, scope: "read" }], {
      processes: 3,
      callers: 20,
      durationMs,
      keyPrefix: `refresh-${s.tenant.slug}:`,
      refreshWindow: [0.5, 0.7],
    });
    for (const r of results) {
      assert.deepEqual(r.errors, []);
      assert.equal(r.expiredServed, 0, "no expired token was handed out");
      assert.equal(r.waited, r.coldCalls, `only the first calls waited (${r.waited} waits, ${r.served} calls)`);
      assert.ok(r.served > 1000, `${r.served} calls`);
    }
    const distinct = new Set(results.flatMap((r) => Object.values(r.tokens).flat())).size;
    const issued = (await usage(s)).issued[api.identifier]!;
    // 10 s of 4 s tokens refreshed every 2–2.8 s: four or five, between all three processes (one each per refresh would be 12–15).
    assert.ok(distinct >= 3, `${distinct} tokens seen: they were refreshed`);
    assert.ok(issued <= Math.ceil(durationMs / (0.5 * 4000)) + 1, `${issued} tokens issued`);
    assert.equal(issued, distinct, "every token issued was shared");
  });

  it("a 429 with Retry-After (an enforced daily quota) is honoured: no request before it has passed", async () => {
    const s = await setup(2);
    const [a, b] = s.apis as [SeededApi, SeededApi];
    await updateApplication(s.tenant.id, s.app.id, { quota_per_day: 1 }, SYSTEM_ACTOR);
    const events: TokenClientEvent[] = [];
    const client = createTokenClient({
      tokenUrl: serverUrl(s.tenant.tokenUrl),
      clientId: s.app.clientId,
      clientSecret: s.app.clientSecret,
      audience: a.identifier,
      // Waits up to 1 s; Grantry's Retry-After runs to the end of the UTC day.
      retry: { maxRetryAfterMs: 1000 },
      onEvent: (e) => events.push(e),
    });
    const first = await client.getToken();
    const refused = await client.getToken({ audience: b.identifier }).catch((e: unknown) => e);
    assert.ok(refused instanceof Error && "code" in refused, String(refused));
    assert.equal(refused.code, "too_many_requests");
    const retryAfter = (refused as { retryAfter?: number }).retryAfter!;
    assert.ok(retryAfter > 0, `Retry-After ${retryAfter}`);
    // Other calls needing a new token fail at once, without asking; the cached token is still served.
    for (const target of [{ audience: b.identifier }, { audience: a.identifier, scope: "write" }])
      await assert.rejects(client.getToken(target), { code: "too_many_requests" });
    assert.equal((await client.getToken()).accessToken, first.accessToken);
    assert.equal(events.filter((e) => e.type === "request").length, 2, "two requests: the token, and the one refused");
    const counted = await usage(s);
    assert.deepEqual(counted.failures, { quota_exceeded: 1 });
    assert.deepEqual(counted.issued, { [a.identifier]: 1, [b.identifier]: 0 });
  });

  it("with Redis down, each replica falls back to its own cache", async () => {
    const s = await setup(2);
    const [a, b] = s.apis as [SeededApi, SeededApi];
    const connections = await Promise.all([redisClient(redis.url), redisClient(redis.url)]);
    const events: TokenClientEvent[] = [];
    const [one, two] = connections.map((connection) =>
      createTokenClient({
        tokenUrl: serverUrl(s.tenant.tokenUrl),
        clientId: s.app.clientId,
        clientSecret: s.app.clientSecret,
        audience: a.identifier,
        sharedCache: redisTokenCache(connection, { keyPrefix: `down-${s.tenant.slug}:` }),
        onEvent: (e) => events.push(e),
      }),
    ) as [ReturnType<typeof createTokenClient>, ReturnType<typeof createTokenClient>];
    try {
      const shared = await one.getToken();
      assert.equal((await two.getToken()).accessToken, shared.accessToken, "shared while Redis is up");
      await redis.kill();
      assert.equal((await one.getToken()).accessToken, shared.accessToken);
      assert.equal((await two.getToken()).accessToken, shared.accessToken);
      const [t1, t2] = await Promise.all([one.getToken({ audience: b.identifier }), two.getToken({ audience: b.identifier })]);
      assert.notEqual(t1.accessToken, t2.accessToken, "each replica asked for its own");
      assert.ok(events.some((e) => e.type === "shared-cache-error"));
      const counted = await usage(s);
      assert.deepEqual(counted.issued, { [a.identifier]: 1, [b.identifier]: 2 });
      assert.deepEqual(counted.failures, {});
    } finally {
      await redis.start();
      for (const c of connections) await c.disconnect().catch(() => {});
    }
  });
});
