// applications/{id}/keys: a script registers a public key, and the service
// then authenticates with assertions signed by its private key. Every bad key
// is a 422 naming public_key, with nothing stored.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SignJWT } from "jose";
import { db } from "@/lib/db";
import { adminSession, call, seedClient, serverUrl, type Client, type Reply, type Tenant } from "./support";

after(() => db.$disconnect());

const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const jwkOf = (key: { export: (o: { format: "jwk" }) => object }) => key.export({ format: "jwk" }) as Record<string, unknown>;

function assertRefused(res: Reply, field: string, message?: RegExp) {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.error.code, "validation_failed");
  assert.ok(res.body.error.details[field], JSON.stringify(res.body.error.details));
  if (message) assert.match(res.body.error.details[field], message);
}

describe("client keys through the Management API", () => {
  let tenant: Tenant, token: string, app: Client;
  before(async () => {
    ({ tenant, token } = await adminSession("keys"));
    app = await seedClient(tenant, null, "service");
  });

  it("adds a key, lists it, and the service gets a token with an assertion; revoking it stops that", async () => {
    const created = await call(tenant, "POST", `/applications/${app.id}/keys`, {
      token,
      body: { name: "billing-prod", public_key: { ...jwkOf(ec.publicKey), kid: "k1" } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(Object.keys(created.body).sort(), ["created_at", "expires_at", "id", "jwks", "jwks_uri", "last_used_at", "name", "revoked_at"]);
    assert.deepEqual(created.body.jwks.keys[0], { kty: "EC", kid: "k1", crv: "P-256", x: jwkOf(ec.publicKey).x, y: jwkOf(ec.publicKey).y });
    const listed = await call(tenant, "GET", `/applications/${app.id}/keys`, { token });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.map((k: { id: string }) => k.id),
      [created.body.id],
    );

    const assertion = () =>
      new SignJWT({ iss: app.clientId, sub: app.clientId, aud: tenant.issuer, jti: randomUUID() })
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuedAt()
        .setExpirationTime("1m")
        .sign(ec.privateKey);
    const ask = async () =>
      fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          audience: tenant.issuer,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: await assertion(),
        }),
      });
    // The application holds no grant: authentication passes, authorization refuses (403, not 401).
    let res = await ask();
    for (let i = 0; i < 50 && res.status === 401; i++) {
      await new Promise((r) => setTimeout(r, 200));
      res = await ask();
    }
    assert.equal(res.status, 403, await res.text());

    const event = await db.auditEvent.findFirst({ where: { tenantId: tenant.id, action: "key.create", targetId: app.id } });
    assert.ok(event, "the addition is audited");
    assert.deepEqual((event.after as { kids: string[] }).kids, ["k1"]);

    assert.equal((await call(tenant, "DELETE", `/applications/${app.id}/keys/${created.body.id}`, { token })).status, 204);
    assert.deepEqual((await call(tenant, "GET", `/applications/${app.id}/keys`, { token })).body, []);
    assert.equal((await call(tenant, "GET", `/applications/${app.id}/keys?include_revoked=true`, { token })).body.length, 1);
    for (let i = 0; i < 50 && res.status !== 401; i++) {
      await new Promise((r) => setTimeout(r, 200));
      res = await ask();
    }
    assert.equal(res.status, 401, "a revoked key authenticates nobody");
  });

  it("refuses private, symmetric, weak, malformed and oversized keys, naming public_key, and stores nothing", async () => {
    const before = await db.clientKey.count({ where: { applicationId: app.id } });
    const post = (public_key: unknown) => call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { name: "bad", public_key } });
    const privatePem = ec.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }) as string;
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey;
    assertRefused(await post(jwkOf(ec.privateKey)), "public_key", /private key material/);
    assertRefused(await post(privatePem), "public_key", /This is a private key/);
    assertRefused(await post({ kty: "oct", k: "c2VjcmV0" }), "public_key", /symmetric key/);
    assertRefused(await post(weak), "public_key", /2048 to 4096 bits/);
    // Keys that make each verification cost milliseconds (a CPU attack on the thread pool that signs every token).
    const huge = generateKeyPairSync("rsa", { modulusLength: 6144 }).publicKey;
    assertRefused(await post(jwkOf(huge)), "public_key", /2048 to 4096 bits/);
    const oddExponent = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 3 }).publicKey;
    assertRefused(await post(jwkOf(oddExponent)), "public_key", /exponent must be 65537/);
    // Keys with no JWK form: a field-named refusal, not a 500.
    const dsa = generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 }).publicKey.export({ type: "spki", format: "pem" }) as string;
    assertRefused(await post(dsa), "public_key", /only RSA, EC P-256 and Ed25519/);
    const pss = generateKeyPairSync("rsa-pss", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }) as string;
    assertRefused(await post(pss), "public_key", /only RSA, EC P-256 and Ed25519/);
    assertRefused(await post(jwkOf(p384)), "public_key", /only RSA, EC P-256 and Ed25519/);
    assertRefused(await post("hello"), "public_key", /Not JSON or PEM/);
    assertRefused(await post("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"), "public_key", /cannot be read/);
    assertRefused(await post("x".repeat(20_000)), "public_key", /16 KB/);
    assertRefused(await post({ keys: [] }), "public_key", /non-empty/);
    assertRefused(await post({ keys: Array.from({ length: 11 }, (_, i) => ({ ...jwkOf(ec.publicKey), kid: `k${i}` })) }), "public_key", /At most 10/);
    assertRefused(await post({ keys: [jwkOf(ec.publicKey), jwkOf(ec.publicKey)] }), "public_key", /share one "kid"/);
    assertRefused(await post({ ...jwkOf(ec.publicKey), alg: "RS256" }), "public_key", /"alg" must be ES256/);
    assertRefused(await post({ ...jwkOf(ec.publicKey), use: "enc" }), "public_key", /"use" must be "sig"/);
    assertRefused(await post(42), "public_key");
    assertRefused(await call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { public_key: jwkOf(ec.publicKey) } }), "name");
    assertRefused(
      await call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { name: "x", public_key: jwkOf(ec.publicKey), jwks_url: "x" } }),
      "jwks_url",
    );
    assert.equal(await db.clientKey.count({ where: { applicationId: app.id } }), before);
  });

  it("another tenant's application is not found, and so is its key", async () => {
    const { tenant: theirs, token: theirToken } = await adminSession("keys-other");
    const res = await call(theirs, "POST", `/applications/${app.id}/keys`, { token: theirToken, body: { name: "x", public_key: jwkOf(ec.publicKey) } });
    assert.equal(res.status, 404);
    const key = await call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { name: "mine", public_key: jwkOf(ec.publicKey) } });
    assert.equal((await call(theirs, "DELETE", `/applications/${app.id}/keys/${key.body.id}`, { token: theirToken })).status, 404);
    assert.equal((await call(tenant, "GET", `/applications/${app.id}/keys`, { token })).body.length >= 1, true);
  });
});

describe("key sets at a jwks_uri", () => {
  let tenant: Tenant, token: string, app: Client, server: Server, base: string;
  const rotated = generateKeyPairSync("ec", { namedCurve: "P-256" });
  /** What each path of the key server answers, changed by the tests. */
  const routes: Record<string, (res: import("node:http").ServerResponse) => void> = {
    "/jwks": (res) => res.end(JSON.stringify({ keys: [{ ...jwkOf(ec.publicKey), kid: "u1" }] })),
    "/later": (res) => res.end(JSON.stringify({ keys: [{ ...jwkOf(rotated.publicKey), kid: "u2" }] })),
    "/redirect": (res) => res.writeHead(302, { location: "http://169.254.169.254/latest" }).end(),
    "/garbage": (res) => res.end("<html>"),
    "/secret": (res) => res.end(JSON.stringify({ keys: [{ kty: "oct", k: "c2VjcmV0" }] })),
    "/hang": () => undefined,
    "/first": (res) => res.end(JSON.stringify({ keys: [{ ...jwkOf(ec.publicKey), kid: "f1" }] })),
    "/second": (res) => res.end(JSON.stringify({ keys: [{ ...jwkOf(rotated.publicKey), kid: "s1" }] })),
  };
  /** When each path was asked for, in ms since the epoch. */
  const asked: Record<string, number[]> = {};
  before(async () => {
    ({ tenant, token } = await adminSession("jwks-uri"));
    app = await seedClient(tenant, null, "published keys");
    server = createServer((req, res) => {
      (asked[req.url ?? ""] ??= []).push(Date.now());
      (routes[req.url ?? ""] ?? ((r) => r.writeHead(404).end()))(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    // localhost is in the test server's GRANTRY_OUTBOUND_ALLOW; 127.0.0.1 and every other private address are not.
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const ask = async (key: KeyObject, kid: string) => {
    const assertion = await new SignJWT({ iss: app.clientId, sub: app.clientId, aud: tenant.issuer, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(key);
    const res = await fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", audience: tenant.issuer, client_assertion_type: JWT_BEARER, client_assertion: assertion }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  /** The token endpoint reloads its cache after a change: ask until the answer settles. */
  const settled = async (key: KeyObject, kid: string, until: (res: { status: number; body: Record<string, string> }) => boolean) => {
    let res = await ask(key, kid);
    for (let i = 0; i < 50 && !until(res); i++) {
      await new Promise((r) => setTimeout(r, 200));
      res = await ask(key, kid);
    }
    return res;
  };

  it("adds a set by URL; the token endpoint fetches it and accepts assertions its keys signed", async () => {
    const created = await call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { name: "published", jwks_uri: `${base}/jwks` } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.jwks, null);
    assert.equal(created.body.jwks_uri, `${base}/jwks`);
    // No grant: authentication passes and authorization refuses (403, not 401).
    const res = await settled(ec.privateKey, "u1", (r) => r.status !== 401);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    const stranger = await ask(rotated.privateKey, "u1");
    assert.equal(stranger.status, 401);
    assert.match(stranger.body.error_description!, /signature does not verify/);
    const event = await db.auditEvent.findFirst({ where: { tenantId: tenant.id, action: "key.create", targetId: app.id } });
    assert.equal((event?.after as { jwksUri?: string }).jwksUri, `${base}/jwks`);
  });

  it("refuses a URL it must not or cannot fetch, naming jwks_uri, and stores nothing", async () => {
    const before = await db.clientKey.count({ where: { applicationId: app.id } });
    const cases: Array<[unknown, RegExp]> = [
      ["http://keys.example.com/jwks", /must be an https URL/],
      ["https://10.0.0.7/jwks", /private or reserved address \(10\.0\.0\.7\)/],
      ["https://169.254.169.254/latest/meta-data", /private or reserved/],
      [`http://127.0.0.1:${new URL(base).port}/jwks`, /https URL/],
      ["https://user:pw@keys.example.com/jwks", /user name or password/],
      [`${base}/redirect`, /redirects are not followed/],
      [`${base}/garbage`, /not JSON/],
      [`${base}/secret`, /no RSA, EC P-256 or Ed25519 signing key/],
      [`${base}/missing`, /HTTP 404/],
      [`${base}/hang`, /within 1500 ms/],
      ["x".repeat(3000), /2,000 characters/],
      [42, /./],
    ];
    for (const [jwks_uri, message] of cases) {
      assertRefused(await call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { name: "bad", jwks_uri } }), "jwks_uri", message);
    }
    const both = await call(tenant, "POST", `/applications/${app.id}/keys`, {
      token,
      body: { name: "both", jwks_uri: `${base}/jwks`, public_key: { ...jwkOf(ec.publicKey), kid: "x" } },
    });
    assertRefused(both, "jwks_uri", /not both/);
    assertRefused(await call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { name: "neither" } }), "public_key", /either/);
    assert.equal(await db.clientKey.count({ where: { applicationId: app.id } }), before);
  });

  /** An ES256 assertion of `client` signed by `key` under `kid`, sent to the token endpoint; its answer and how long it took. */
  const sendAssertion = async (client: Client, key: KeyObject, kid: string) => {
    const assertion = await new SignJWT({ iss: client.clientId, sub: client.clientId, aud: tenant.issuer, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(key);
    const started = Date.now();
    const res = await fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", audience: tenant.issuer, client_assertion_type: JWT_BEARER, client_assertion: assertion }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string>, ms: Date.now() - started };
  };
  const twoSets = async (name: string, first: string, second: string) => {
    const client = await seedClient(tenant, null, name);
    for (const path of [first, second]) {
      const created = await call(tenant, "POST", `/applications/${client.id}/keys`, { token, body: { name: path, jwks_uri: `${base}${path}` } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    return client;
  };

  it("fetches an application's key sets at once, not one after another: two that hang cost one timeout", async () => {
    // Adding a set checks its URL but fills no cache: the token endpoint fetches both sets at its first use.
    const two = await twoSets("two published sets", "/first", "/second");
    routes["/first"] = routes["/second"] = () => undefined;
    const since = Date.now();
    const res = await sendAssertion(two, ec.privateKey, "f1");
    assert.equal(res.status, 401);
    assert.match(res.body.error_description!, /jwks_uri\) cannot be fetched/);
    const first = (asked["/first"] ?? []).filter((at) => at >= since);
    const second = (asked["/second"] ?? []).filter((at) => at >= since);
    assert.equal(first.length, 1);
    assert.equal(second.length, 1);
    // One after another, the second would be asked only once the first timed out (GRANTRY_OUTBOUND_TIMEOUT_MS, 1500 ms here).
    assert.ok(Math.abs(second[0]! - first[0]!) < 1000, `asked ${second[0]! - first[0]!} ms apart`);
  });

  it("the set that signed answers before one that hangs: the assertion is taken without waiting for the other", async () => {
    routes["/signer"] = (res) => res.end(JSON.stringify({ keys: [{ ...jwkOf(ec.publicKey), kid: "g1" }] }));
    routes["/stalls"] = (res) => res.end(JSON.stringify({ keys: [{ ...jwkOf(rotated.publicKey), kid: "h1" }] }));
    const client = await twoSets("a signer and a stall", "/signer", "/stalls");
    routes["/stalls"] = () => undefined;
    const res = await sendAssertion(client, ec.privateKey, "g1");
    // Authenticated (403: no grant), well before the other set's 1500 ms timeout.
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.ok(res.ms < 1000, `answered after ${res.ms} ms`);
  });

  it("a set whose URL stops answering before its first use refuses with the reason, and no token", async () => {
    const created = await call(tenant, "POST", `/applications/${app.id}/keys`, { token, body: { name: "rotating", jwks_uri: `${base}/later` } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    routes["/later"] = () => undefined;
    const res = await settled(rotated.privateKey, "u2", (r) => /cannot be fetched/.test(r.body.error_description ?? ""));
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.equal(res.body.error, "invalid_client");
    assert.match(res.body.error_description!, /the application's published key set \(jwks_uri\) cannot be fetched or holds no usable key/);
    assert.equal(res.body.access_token, undefined);
  });
});
