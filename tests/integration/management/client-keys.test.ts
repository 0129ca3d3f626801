// applications/{id}/keys: a script registers a public key, and the service
// then authenticates with assertions signed by its private key. Every bad key
// is a 422 naming public_key, with nothing stored.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SignJWT } from "jose";
import { db } from "@/lib/db";
import { adminSession, call, seedClient, serverUrl, type Client, type Reply, type Tenant } from "./support";

after(() => db.$disconnect());

const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
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
    assert.deepEqual(Object.keys(created.body).sort(), ["created_at", "expires_at", "id", "jwks", "last_used_at", "name", "revoked_at"]);
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
    assertRefused(await post(weak), "public_key", /at least 2048 bits/);
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
