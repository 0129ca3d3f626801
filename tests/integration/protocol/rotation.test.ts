// Key rotation: a token signed before rotation still verifies through the
// JWKS afterwards (the old key stays published as `previous`), and new tokens
// carry the new kid. The rotation happens in this process, so the server sees
// it when its cache refreshes (NOTIFY on PostgreSQL, else GRANTRY_CACHE_TTL_MS).
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { listKeys, rotateKeys } from "@/lib/domain/keys";
import { seedM2M, type M2MSetup } from "../helpers/seed";
import { postForm, postJson, request, seedBody, serverUrl, basicAuth } from "./support";
import { db } from "@/lib/db";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

let setup: M2MSetup;
before(async () => {
  setup = await seedM2M();
});

async function issue(): Promise<string> {
  const res = await postJson(setup.tenant.tokenUrl, seedBody(setup.app, setup.api.identifier));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.access_token as string;
}

it("rotation: old tokens keep verifying, new tokens use the new key", async () => {
  const { tenant, api } = setup;
  const before = await issue();
  const oldKid = decodeProtectedHeader(before).kid!;
  await rotateKeys(tenant.id, SYSTEM_ACTOR);

  const deadline = Date.now() + Number(process.env.GRANTRY_CACHE_TTL_MS ?? 5000) + 5000;
  let after = await issue();
  while (decodeProtectedHeader(after).kid === oldKid && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    after = await issue();
  }
  const newKid = decodeProtectedHeader(after).kid!;
  assert.notEqual(newKid, oldKid, "new tokens carry the new kid");

  const jwks = await request(`${tenant.issuer}/.well-known/jwks.json`);
  const kids = (jwks.body.keys as { kid: string }[]).map((k) => k.kid);
  assert.ok(kids.includes(oldKid) && kids.includes(newKid), `JWKS publishes both keys: ${kids.join(", ")}`);

  // A fresh key set, as a resource server starting now would have.
  const keySet = createRemoteJWKSet(new URL(serverUrl(`${tenant.issuer}/.well-known/jwks.json`)));
  for (const token of [before, after]) {
    await jwtVerify(token, keySet, { issuer: tenant.issuer, audience: api.identifier, typ: "at+jwt" });
  }

  const introspect = (token: string) =>
    postForm(`${tenant.issuer}/oauth/introspect`, { token }, { authorization: basicAuth(setup.app.clientId, setup.app.clientSecret) });
  assert.equal((await introspect(before)).body.active, true);
  assert.equal((await introspect(after)).body.active, true);
});

it("retirement: a previous key leaves the JWKS served over HTTP once its retire time has passed, and is marked retired", async () => {
  const own = await seedM2M();
  const res = await postJson(own.tenant.tokenUrl, seedBody(own.app, own.api.identifier));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const oldKid = decodeProtectedHeader(res.body.access_token as string).kid!;
  await rotateKeys(own.tenant.id, SYSTEM_ACTOR);
  // Before any request lets the server reload: the first keyring it loads after the
  // rotation publishes the old key with this retire time, which nothing bumps when it passes.
  const ttl = Number(process.env.GRANTRY_CACHE_TTL_MS ?? 5000);
  const retireAt = Date.now() + ttl + 5000;
  await db.signingKey.updateMany({ where: { tenantId: own.tenant.id, kid: oldKid }, data: { retireAfter: new Date(retireAt) } });

  const kidsServed = async () => ((await request(`${own.tenant.issuer}/.well-known/jwks.json`)).body.keys as { kid: string }[]).map((k) => k.kid);
  let kids = await kidsServed();
  while (kids.length < 2 && Date.now() < retireAt) {
    await new Promise((r) => setTimeout(r, 200));
    kids = await kidsServed();
  }
  assert.ok(kids.includes(oldKid) && kids.length === 2, `the rotated key stays published until its retire time: ${kids.join(", ")}`);

  await new Promise((r) => setTimeout(r, Math.max(0, retireAt - Date.now()) + 200));
  kids = await kidsServed();
  assert.ok(!kids.includes(oldKid), `the old key has left the JWKS: ${kids.join(", ")}`);
  assert.equal(kids.length, 1);
  // Publishing the key set only reads (a flood of unknown kids must write nothing); listing the keys marks it retired.
  const state = async () => (await db.signingKey.findFirst({ where: { tenantId: own.tenant.id, kid: oldKid }, select: { state: true } }))?.state;
  assert.equal(await state(), "previous");
  await listKeys(own.tenant.id);
  assert.equal(await state(), "retired");
});
