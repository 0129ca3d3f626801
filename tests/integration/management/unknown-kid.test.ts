// Unauthenticated requests with an unknown `kid` used to force an uncached key
// set reload — with a database write (retiring expired keys) — every time.
// Now the Management API shares the protocol's JWKS cache: a reload for an
// unknown kid at most once a second per tenant, and reloads only read.
import assert from "node:assert/strict";
import { after, it } from "node:test";
import { SignJWT, generateKeyPair } from "jose";
import { db } from "@/lib/db";
import { call, mintToken, seedClient, seedTenant } from "./support";

after(() => db.$disconnect());

it("a flood of tokens with unknown kids is refused 401 and writes nothing", async () => {
  const tenant = await seedTenant("kid");
  const client = await seedClient(tenant);
  const current = await db.signingKey.findFirstOrThrow({ where: { tenantId: tenant.id, state: "current" } });
  // A previous key whose retire time has passed: a reload that writes would mark it retired.
  const expired = await db.signingKey.create({
    data: {
      tenantId: tenant.id,
      alg: current.alg,
      state: "previous",
      kid: `old-${current.kid}`,
      publicJwk: { ...(current.publicJwk as object), kid: `old-${current.kid}` },
      privateKeyEnc: current.privateKeyEnc,
      rotatedAt: new Date(Date.now() - 7200_000),
      retireAfter: new Date(Date.now() - 3600_000),
    },
  });
  const { privateKey } = await generateKeyPair("ES256");
  const now = Math.floor(Date.now() / 1000);
  const forged = await new SignJWT({ client_id: client.clientId, scope: "read:applications" })
    .setProtectedHeader({ alg: "ES256", kid: "no-such-kid", typ: "at+jwt" })
    .setIssuer(tenant.issuer)
    .setSubject(client.clientId)
    .setAudience(tenant.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .setJti(`forged-${now}`)
    .sign(privateKey);
  const replies = await Promise.all(Array.from({ length: 200 }, () => call(tenant, "GET", "/applications", { token: forged })));
  assert.deepEqual([...new Set(replies.map((r) => r.status))], [401]);
  assert.equal(replies[0]!.body.error.code, "invalid_token");
  assert.equal((await db.signingKey.findUniqueOrThrow({ where: { id: expired.id } })).state, "previous", "no reload wrote anything");

  // The expired key is not published, and the Management API's key list retires it.
  const token = await mintToken(tenant, client);
  const keys = await call(tenant, "GET", "/keys", { token });
  assert.equal(keys.status, 200);
  assert.equal((await db.signingKey.findUniqueOrThrow({ where: { id: expired.id } })).state, "retired");
});
