// The token client against a scriptable token endpoint: caching per audience
// and scope, single flight, refresh ahead of expiry with no caller waiting,
// retries and Retry-After, typed errors, client authentication, discovery,
// and fetch()'s one retry after a 401.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { createLocalJWKSet, exportJWK, jwtVerify } from "jose";
import { createTokenClient, isTokenError, TokenError, type TokenClientEvent } from "@grantry/client";
import { startApi, startTokenServer, type TokenServer } from "./token-server";

let server: TokenServer;
before(async () => {
  server = await startTokenServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.queue.length = 0;
  server.issued.length = 0;
  server.expiresIn = 3600;
  server.tokenType = "Bearer";
  server.delayMs = 0;
});

const AUDIENCE = "https://api.example.com/";
const client = (extra: Partial<Parameters<typeof createTokenClient>[0]> = {}) =>
  createTokenClient({
    tokenUrl: server.tokenUrl,
    clientId: "svc",
    clientSecret: "s3cret",
    audience: AUDIENCE,
    retry: { minDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("caching", () => {
  it("one token per audience and scope, the scope's order and repeats aside", async () => {
    const c = client({ scope: "read write" });
    const a = await c.getToken();
    assert.equal((await c.getToken()).accessToken, a.accessToken);
    assert.equal((await c.getToken({ scope: ["write", "read", "read"] })).accessToken, a.accessToken);
    const other = await c.getToken({ scope: "read" });
    const elsewhere = await c.getToken({ audience: "https://other.example.com/", scope: "read write" });
    assert.equal(new Set([a.accessToken, other.accessToken, elsewhere.accessToken]).size, 3);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(
      server.requests.map((r) => [r.params.get("resource"), r.params.get("scope")]),
      [
        [AUDIENCE, "read write"],
        [AUDIENCE, "read"],
        ["https://other.example.com/", "read write"],
      ],
    );
  });
  it("concurrent callers share one request (single flight)", async () => {
    server.delayMs = 100;
    const c = client();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => c.getToken()));
    assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
    assert.equal(server.requests.length, 1);
  });
  it("refreshes ahead of expiry: once warm, no call waits and none gets an expired token", async () => {
    // 2 s tokens refreshed at 50–60 % of their lifetime, usable until 90 %: 600 ms or more for each refresh, even on a busy machine.
    server.expiresIn = 2;
    const events: TokenClientEvent[] = [];
    const c = client({ onEvent: (e) => events.push(e), refreshWindow: [0.5, 0.6] });
    await c.getToken();
    const served: Array<{ at: number; expiresAt: number; token: string }> = [];
    const until = Date.now() + 4500;
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        while (Date.now() < until) {
          const t = await c.getToken();
          served.push({ at: Date.now(), expiresAt: t.expiresAt, token: t.accessToken });
          await sleep(10);
        }
      }),
    );
    const waits = events.filter((e) => e.type === "served" && e.waited);
    assert.equal(waits.length, 1, "only the very first call waited for a token");
    assert.ok(
      served.every((s) => s.at < s.expiresAt),
      "every token served was unexpired",
    );
    const distinct = new Set(served.map((s) => s.token)).size;
    // Refreshed every 1–1.2 s over 4.5 s: about four times, and never once per call.
    assert.ok(distinct >= 3 && server.requests.length <= 7, `${distinct} tokens served, ${server.requests.length} requests for ${served.length} calls`);
  });
  it("invalidate() forgets a token", async () => {
    const c = client();
    const a = await c.getToken();
    c.invalidate();
    assert.notEqual((await c.getToken()).accessToken, a.accessToken);
  });
  it("without expires_in, a JWT's exp − iat is the lifetime, else 60 s", async () => {
    server.expiresIn = undefined;
    const before = Date.now();
    const t = await client().getToken();
    assert.ok(t.expiresAt >= before + 60_000 && t.expiresAt <= Date.now() + 60_000);
  });
});

describe("failures", () => {
  it("retries a dropped connection, a 500 and a 503, then succeeds", async () => {
    server.queue.push("drop", { status: 500 }, { status: 503, body: { error: "temporarily_unavailable" } });
    const events: TokenClientEvent[] = [];
    const t = await client({ onEvent: (e) => events.push(e) }).getToken();
    assert.ok(t.accessToken.startsWith("tok-"));
    assert.equal(server.requests.length, 4);
    assert.equal(events.filter((e) => e.type === "retry").length, 3);
  });
  it("gives up after the configured retries with the last error, typed with its code", async () => {
    server.queue.push({ status: 503 }, { status: 503 }, { status: 503 });
    const error = await client({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } })
      .getToken()
      .catch((e: unknown) => e);
    assert.ok(isTokenError(error) && error instanceof TokenError);
    assert.equal(error.code, "temporarily_unavailable");
    assert.equal(error.status, 503);
    assert.equal(server.requests.length, 3);
  });
  it("does not retry a client error: invalid_client comes back with the server's description", async () => {
    server.queue.push({ status: 401, body: { error: "invalid_client", error_description: "Client authentication failed" } });
    await assert.rejects(client().getToken(), { name: "TokenError", code: "invalid_client", status: 401, description: "Client authentication failed" });
    assert.equal(server.requests.length, 1);
  });
  it("honours Retry-After on a 429: the next request waits that long", async () => {
    server.queue.push({ status: 429, body: { error: "too_many_requests" }, headers: { "retry-after": "1" } });
    await client().getToken();
    assert.equal(server.requests.length, 2);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 1000, `the retry came ${gap} ms after the 429`);
  });
  it("honours Retry-After on a 503 given as an HTTP date", async () => {
    server.queue.push({ status: 503, headers: { "retry-after": new Date(Date.now() + 2000).toUTCString() } });
    await client().getToken();
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    assert.ok(gap >= 1000, `the retry came ${gap} ms after the 503`);
  });
  it("a Retry-After longer than maxRetryAfterMs fails at once, and no request is sent before it has passed", async () => {
    server.queue.push({ status: 429, body: { error: "too_many_requests", error_description: "Slow down" }, headers: { "retry-after": "120" } });
    const c = client();
    await assert.rejects(c.getToken(), { code: "too_many_requests", retryAfter: 120, status: 429 });
    await assert.rejects(c.getToken(), { code: "too_many_requests", retryAfter: 120 });
    await assert.rejects(c.getToken({ scope: "other" }), { code: "too_many_requests" });
    assert.equal(server.requests.length, 1, "the server was asked once");
  });
  it("a 200 that is no token response is a server_error", async () => {
    server.queue.push({ status: 200, body: { token_type: "Bearer" } }, { status: 200, body: { access_token: "x", token_type: "MAC" } });
    await assert.rejects(client().getToken(), { code: "server_error", description: "The answer has no access_token" });
    await assert.rejects(client().getToken(), { code: "server_error", description: "Unsupported token_type MAC" });
  });
  it("an unreachable endpoint is temporarily_unavailable after the retries", async () => {
    const c = createTokenClient({
      tokenUrl: "http://127.0.0.1:9/oauth/token",
      clientId: "a",
      clientSecret: "b",
      audience: AUDIENCE,
      retry: { retries: 1, minDelayMs: 1 },
    });
    await assert.rejects(c.getToken(), (e: unknown) => isTokenError(e) && e.code === "temporarily_unavailable" && e.cause instanceof Error);
  });
  it("a background refresh that fails keeps serving the current token", async () => {
    server.expiresIn = 2;
    // Due for refresh after 1 s, usable until 1.8 s.
    const c = client({ retry: { retries: 0 }, refreshWindow: [0.5, 0.5] });
    const first = await c.getToken();
    server.queue.push({ status: 500 }, { status: 500 }, { status: 500 });
    await sleep(1200);
    assert.equal((await c.getToken()).accessToken, first.accessToken);
    await sleep(50);
    assert.equal(server.requests.length, 2, "the background refresh was tried");
    assert.equal((await c.getToken()).accessToken, first.accessToken);
  });
});

describe("client authentication and discovery", () => {
  it("client_secret_basic form-encodes both halves (RFC 6749 §2.3.1)", async () => {
    await createTokenClient({ tokenUrl: server.tokenUrl, clientId: "id:with space", clientSecret: "p@ss:w/rd+", audience: AUDIENCE }).getToken();
    const basic = server.requests[0]!.headers.authorization!;
    assert.equal(Buffer.from(basic.slice(6), "base64").toString(), "id%3Awith+space:p%40ss%3Aw%2Frd%2B");
    assert.equal(server.requests[0]!.params.get("client_secret"), null);
  });
  it("client_secret_post sends them in the body", async () => {
    await client({ authMethod: "client_secret_post" }).getToken();
    const { params, headers } = server.requests[0]!;
    assert.equal(headers.authorization, undefined);
    assert.equal(params.get("client_id"), "svc");
    assert.equal(params.get("client_secret"), "s3cret");
    assert.equal(params.get("grant_type"), "client_credentials");
  });
  it("private_key_jwt signs an assertion for the token endpoint (RFC 7523 §3)", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await createTokenClient({ tokenUrl: server.tokenUrl, clientId: "svc", privateKey, keyId: "k1", audience: AUDIENCE }).getToken();
    const { params } = server.requests[0]!;
    assert.equal(params.get("client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] });
    const { payload, protectedHeader } = await jwtVerify(params.get("client_assertion")!, jwks, { issuer: "svc", subject: "svc", audience: server.tokenUrl });
    assert.equal(protectedHeader.alg, "ES256");
    assert.equal(typeof payload.jti, "string");
    assert.ok(payload.exp! - payload.iat! <= 60);
  });
  it("an assertion provider is asked for every token request", async () => {
    let n = 0;
    const c = client({ clientSecret: undefined, assertion: () => `assertion-${++n}` });
    await c.getToken();
    await c.getToken({ scope: "x" });
    assert.deepEqual(
      server.requests.map((r) => r.params.get("client_assertion")),
      ["assertion-1", "assertion-2"],
    );
  });
  it("refuses ambiguous credentials", () => {
    assert.throws(() => createTokenClient({ tokenUrl: server.tokenUrl, clientId: "a", audience: AUDIENCE }), TypeError);
    assert.throws(
      () => createTokenClient({ tokenUrl: server.tokenUrl, clientId: "a", clientSecret: "b", assertion: () => "c", audience: AUDIENCE }),
      TypeError,
    );
  });
  it("finds the token endpoint from the issuer's metadata", async () => {
    const c = createTokenClient({ issuer: server.url, clientId: "svc", clientSecret: "s", audience: AUDIENCE });
    await c.getToken();
    assert.equal(server.requests[0]!.path, "/oauth/token");
  });
  it("names the API as audience or both when asked (Auth0-style servers)", async () => {
    await client({ audienceParam: "audience" }).getToken();
    await client({ audienceParam: "both" }).getToken();
    assert.deepEqual(
      server.requests.map((r) => [r.params.get("resource"), r.params.get("audience")]),
      [
        [null, AUDIENCE],
        [AUDIENCE, AUDIENCE],
      ],
    );
  });
});

describe("fetch()", () => {
  it("sends the bearer token, and reuses it", async () => {
    const api = await startApi((auth) => auth?.startsWith("Bearer tok-") === true);
    try {
      const c = client();
      for (let i = 0; i < 3; i++) assert.equal((await c.fetch(`${api.url}/things`)).status, 200);
      assert.equal(server.requests.length, 1);
      assert.equal(new Set(api.calls.map((call) => call.authorization)).size, 1);
    } finally {
      await api.close();
    }
  });
  it("on a 401, drops the token once, gets a new one and resends the request with its body", async () => {
    const revoked = new Set<string>();
    const api = await startApi((auth) => !!auth && !revoked.has(auth.slice(7)));
    try {
      const c = client();
      const first = await c.getToken();
      revoked.add(first.accessToken);
      const res = await c.fetch(`${api.url}/things`, { method: "POST", body: JSON.stringify({ n: 1 }), headers: { "content-type": "application/json" } });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { ok: true, body: '{"n":1}' });
      assert.equal(api.calls.length, 2);
      assert.equal(api.calls[1]!.body, '{"n":1}');
      assert.equal(server.requests.length, 2);
    } finally {
      await api.close();
    }
  });
  it("hands its fetch a URL string and init, never a Request (Next.js patches fetch), and resends a Request's body after a 401", async () => {
    const revoked = new Set<string>();
    const api = await startApi((auth) => !!auth && !revoked.has(auth.slice(7)));
    try {
      const inputs: string[] = [];
      const c = client({ fetch: (input, init) => (inputs.push(typeof input), fetch(input, init)) });
      revoked.add((await c.getToken()).accessToken);
      const res = await c.fetch(new Request(`${api.url}/x`, { method: "PUT", body: "hello", headers: { "x-a": "1" } }));
      assert.equal(res.status, 200);
      assert.deepEqual(
        api.calls.map((call) => [call.method, call.body]),
        [
          ["PUT", "hello"],
          ["PUT", "hello"],
        ],
      );
      assert.deepEqual(new Set(inputs), new Set(["string"]));
    } finally {
      await api.close();
    }
  });
  it("a second 401 is returned as it is: one retry, no loop", async () => {
    const api = await startApi(() => false);
    try {
      const res = await client().fetch(`${api.url}/things`);
      assert.equal(res.status, 401);
      assert.equal(api.calls.length, 2);
      assert.equal(server.requests.length, 2);
    } finally {
      await api.close();
    }
  });
});
