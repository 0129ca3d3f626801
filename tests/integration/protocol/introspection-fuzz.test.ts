// Introspection under hostile input: 10,000 generated requests (junk tokens,
// tampered and foreign JWTs, broken client authentication): never a 5xx,
// `active: true` only for the real live token with real credentials, and the
// database unchanged (a dump of the tenant's rows before and after).
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, it } from "node:test";
import fc from "fast-check";
import { db } from "@/lib/db";
import { dumpTenants } from "../helpers/dump";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApp, type SeededTenant } from "../helpers/seed";
import { serverUrl } from "./support";

let tenant: SeededTenant, other: SeededTenant, app: SeededApp, live: string, foreign: string;
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
after(async () => {
  agent.destroy();
  await db.$disconnect();
});

async function issue(t: SeededTenant, a: SeededApp, audience: string): Promise<string> {
  const res = await fetch(serverUrl(t.tokenUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: a.clientId, client_secret: a.clientSecret, audience }),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id);
  const api = await seedApi(tenant.id, { scopes: ["read"] });
  await seedGrant(tenant.id, app.id, api);
  live = await issue(tenant, app, api.identifier);
  other = await seedTenant();
  const otherApp = await seedApplication(other.id);
  const otherApi = await seedApi(other.id, { scopes: ["read"] });
  await seedGrant(other.id, otherApp.id, otherApi);
  foreign = await issue(other, otherApp, otherApi.identifier);
});

/**
 * One character of the payload changed. Not its last character: there the low
 * bits are base64url padding, and a change may decode to the very same bytes.
 */
const tamper = (jwt: string) => {
  const start = jwt.indexOf(".") + 1;
  const end = jwt.indexOf(".", start) - 2;
  return fc.integer({ min: start, max: end }).map((i) => jwt.slice(0, i) + (jwt[i] === "A" ? "Q" : "A") + jwt.slice(i + 1));
};

const tokenArb = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(live) },
    { weight: 2, arbitrary: fc.constant(foreign) },
    { weight: 3, arbitrary: fc.constant(null).chain(() => tamper(live)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
    { weight: 1, arbitrary: fc.constantFrom("", "eyJ.eyJ.x", `${live}.extra`, live.split(".").slice(0, 2).join(".") + ".") },
  );

const credentialsArb = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant({ id: app.clientId, secret: app.clientSecret }) },
    { weight: 1, arbitrary: fc.record({ id: fc.constantFrom(app.clientId, "nobody", ""), secret: fc.constantFrom("wrong", "", app.clientSecret + "x") }) },
  );

const requestArb = () =>
  fc.record({
    token: tokenArb(),
    credentials: credentialsArb(),
    basic: fc.boolean(),
    hint: fc.option(fc.constantFrom("access_token", "refresh_token", "junk"), { nil: undefined }),
    json: fc.boolean(),
    extra: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  });

type Generated = ReturnType<typeof requestArb> extends fc.Arbitrary<infer T> ? T : never;

function send(r: Generated): Promise<{ status: number; text: string }> {
  const fields: Record<string, string> = { token: r.token };
  if (r.hint) fields.token_type_hint = r.hint;
  if (r.extra !== undefined) fields.extra = r.extra;
  const headers: Record<string, string | number> = {};
  if (r.basic)
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(r.credentials.id)}:${encodeURIComponent(r.credentials.secret)}`).toString("base64")}`;
  else Object.assign(fields, { client_id: r.credentials.id, client_secret: r.credentials.secret });
  const body = r.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  headers["content-type"] = r.json ? "application/json" : "application/x-www-form-urlencoded";
  headers["content-length"] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(serverUrl(`${tenant.issuer}/oauth/introspect`)), { method: "POST", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

it("10,000 hostile introspection requests: no 5xx, active only for the live token, nothing written", { timeout: 180_000 }, async () => {
  const before = await dumpTenants(tenant.id, other.id);
  assert.ok(before.includes(app.clientId), "the dump holds the tenant's rows");
  let sent = 0;
  let active = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(requestArb(), { minLength: 50, maxLength: 50 }), async (batch) => {
      const results = await Promise.all(batch.map(send));
      sent += batch.length;
      results.forEach((res, i) => {
        const r = batch[i]!;
        assert.ok(res.status < 500, `${res.status}: ${res.text}`);
        if (!res.text.includes('"active":true')) return;
        active += 1;
        assert.equal(r.token, live, "only the live token is active");
        assert.equal(r.credentials.secret, app.clientSecret, "only with the real secret");
      });
    }),
    { numRuns: 200, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: false },
  );
  assert.ok(sent >= 10_000);
  assert.ok(active > 0, "the live token was seen as active at least once");
  assert.equal(await dumpTenants(tenant.id, other.id), before, "introspection changed nothing in the database");
});
