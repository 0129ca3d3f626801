// The shared cache on a real redis-server: replicas (client instances, each
// with its own node-redis connection) hold one token between them and only
// one asks the token endpoint; the lock is only ever released by its holder;
// a token an API refused is not taken back from the cache; and with Redis
// down every replica carries on with its own cache, without waiting on Redis.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { createTokenClient, redisTokenCache, type TokenClientEvent } from "@grantry/client";
import { redisClient, redisMissing, startRedis, type RedisServer } from "./redis-server";
import { startApi, startTokenServer, type TokenServer } from "./token-server";

const skip = redisMissing();
let server: TokenServer;
let redis: RedisServer;
const connections: Array<Awaited<ReturnType<typeof redisClient>>> = [];

before(async () => {
  if (skip) return;
  server = await startTokenServer();
  redis = await startRedis();
});
after(async () => {
  for (const c of connections) await c.disconnect().catch(() => {});
  await server?.close();
  await redis?.stop();
});
beforeEach(() => {
  if (skip) return;
  server.requests.length = 0;
  server.queue.length = 0;
  server.expiresIn = 3600;
  server.delayMs = 0;
});

let prefix = 0;
/** `n` replicas of one service: same credentials, each its own Redis connection. */
async function replicas(n: number, extra: Partial<Parameters<typeof createTokenClient>[0]> = {}, keyPrefix = `test-${++prefix}:`) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const connection = await redisClient(redis.url);
      connections.push(connection);
      return createTokenClient({
        tokenUrl: server.tokenUrl,
        clientId: "svc",
        clientSecret: "s",
        audience: "https://api.example.com/",
        sharedCache: redisTokenCache(connection, { keyPrefix }),
        // Generous: on a busy test machine a Redis answer can take longer than the default 500 ms, and this is not what these tests measure.
        sharedCacheTimeoutMs: 2000,
        retry: { minDelayMs: 10, maxDelayMs: 50 },
        ...extra,
      });
    }),
  );
}

describe("shared cache (Redis)", { skip }, () => {
  it("replicas starting together make one token request between them", async () => {
    server.delayMs = 150;
    const clients = await replicas(4);
    const tokens = await Promise.all(clients.flatMap((c) => Array.from({ length: 10 }, () => c.getToken())));
    assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
    assert.equal(server.requests.length, 1);
  });
  it("a replica that starts later takes the token from the cache", async () => {
    const [a] = await replicas(1, {}, "late:");
    const first = await a!.getToken();
    const [b] = await replicas(1, {}, "late:");
    assert.equal((await b!.getToken()).accessToken, first.accessToken);
    assert.equal(server.requests.length, 1);
  });
  it("refreshing, one replica asks and the others take its token", async () => {
    server.expiresIn = 2;
    const events: TokenClientEvent[] = [];
    // Refreshed at 50–60 % of 2 s, usable to 90 %: 600 ms or more for each refresh on a busy machine.
    const clients = await replicas(3, { onEvent: (e) => events.push(e), refreshWindow: [0.5, 0.6] });
    await Promise.all(clients.map((c) => c.getToken()));
    const until = Date.now() + 3000;
    await Promise.all(
      clients.map(async (c) => {
        while (Date.now() < until) {
          await c.getToken();
          await new Promise((r) => setTimeout(r, 10));
        }
      }),
    );
    // A refresh begun by the last calls may still be on its way: let it land here, not in the next test.
    for (let seen = -1; seen !== server.requests.length;) {
      seen = server.requests.length;
      await new Promise((r) => setTimeout(r, 300));
    }
    const fromServer = events.filter((e) => e.type === "refreshed" && e.source === "server").length;
    const fromShared = events.filter((e) => e.type === "refreshed" && e.source === "shared").length;
    assert.equal(fromServer, server.requests.length);
    // Over 3 s of a 2 s lifetime refreshed every 1–1.2 s: three or four tokens in all, not one per replica.
    assert.ok(server.requests.length >= 3 && server.requests.length <= 4, `${server.requests.length} token requests`);
    // Each token but the last (perhaps fetched as the calls stopped) was taken by the two other replicas.
    assert.ok(fromShared >= 2 * (server.requests.length - 2), `${fromShared} tokens taken from the cache`);
    assert.equal(events.filter((e) => e.type === "served" && e.waited).length, 3, "only each replica's first call waited");
  });
  it("a token an API refused is not taken from the cache again", async () => {
    const revoked = new Set<string>();
    const api = await startApi((auth) => !!auth && !revoked.has(auth.slice(7)));
    try {
      const [a, b] = await replicas(2);
      const first = await a!.getToken();
      assert.equal((await b!.getToken()).accessToken, first.accessToken);
      revoked.add(first.accessToken);
      assert.equal((await a!.fetch(`${api.url}/x`)).status, 200);
      assert.equal(server.requests.length, 2);
    } finally {
      await api.close();
    }
  });
  it("the lock is released only by its holder", async () => {
    const connection = await redisClient(redis.url);
    connections.push(connection);
    const cache = redisTokenCache(connection, { keyPrefix: "lock-test:" });
    const release = await cache.lock("k", 100);
    assert.ok(release);
    assert.equal(await cache.lock("k", 10_000), null, "held");
    await new Promise((r) => setTimeout(r, 150));
    const second = await cache.lock("k", 10_000);
    assert.ok(second, "expired, taken by another");
    await release();
    assert.equal(await cache.lock("k", 10_000), null, "the first holder's late release left the second's lock alone");
    await second();
    assert.ok(await cache.lock("k", 10_000));
  });
  it("with Redis down, each replica carries on with its own cache", async () => {
    const events: TokenClientEvent[] = [];
    const [a, b] = await replicas(2, { onEvent: (e) => events.push(e) }, "down:");
    const shared = await a!.getToken();
    assert.equal((await b!.getToken()).accessToken, shared.accessToken);
    await redis.kill();
    try {
      // Cached tokens are served without touching Redis.
      assert.equal((await a!.getToken()).accessToken, shared.accessToken);
      assert.equal((await b!.getToken()).accessToken, shared.accessToken);
      // A new scope: each replica asks for itself.
      const [ta, tb] = await Promise.all([a!.getToken({ scope: "new" }), b!.getToken({ scope: "new" })]);
      assert.notEqual(ta.accessToken, tb.accessToken);
      assert.equal(server.requests.length, 3);
      assert.ok(events.some((e) => e.type === "shared-cache-error"));
    } finally {
      await redis.start();
    }
  });
  it("a cache that never answers costs a call at most the timeout, then is left alone for a while", async () => {
    const hanging = { get: () => new Promise<never>(() => {}), set: () => new Promise<never>(() => {}), lock: () => new Promise<never>(() => {}) };
    const events: TokenClientEvent[] = [];
    const c = createTokenClient({
      tokenUrl: server.tokenUrl,
      clientId: "svc",
      clientSecret: "s",
      audience: "https://api.example.com/",
      sharedCache: hanging,
      sharedCacheTimeoutMs: 100,
      onEvent: (e) => events.push(e),
    });
    await c.getToken();
    await c.getToken({ scope: "other" });
    assert.equal(server.requests.length, 2);
    // One timed-out get; the set after it and the second token's calls were skipped during the pause.
    assert.equal(events.filter((e) => e.type === "shared-cache-error").length, 1);
  });
  it("a lock granted after its call timed out is released at once, not left for the others to wait on", async () => {
    let released = 0;
    const slowLock = {
      get: async () => null,
      set: async () => {},
      lock: () => new Promise<() => Promise<void>>((resolve) => setTimeout(() => resolve(async () => void released++), 150)),
    };
    const c = createTokenClient({
      tokenUrl: server.tokenUrl,
      clientId: "svc",
      clientSecret: "s",
      audience: "https://api.example.com/",
      sharedCache: slowLock,
      sharedCacheTimeoutMs: 50,
    });
    await c.getToken();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(released, 1);
  });
});
