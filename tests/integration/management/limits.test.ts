// What one caller can create: the per-tenant caps answer 409 naming the cap,
// and nothing beyond them is created, even when the requests race; key
// rotation is rate-limited per tenant and the previous keys stay capped, so
// the published key set cannot grow; tenant creation is rate-limited per user.
// The tenant is filled to just below each cap in the database first, so the
// flood runs against the caps the server really has (the harness lowers the
// applications and grants caps to keep the filling quick).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { roleCeiling } from "@/lib/domain/ceiling";
import { RateLimitedError } from "@/lib/domain/errors";
import { createTenant } from "@/lib/domain/tenants";
import { env } from "@/lib/env";
import { resetLimiters } from "@/lib/rate-limit";
import { adminSession, call, mintToken, randomSlug, serverUrl, type Tenant } from "./support";

after(() => db.$disconnect());

const id = () => `c${randomBytes(12).toString("hex")}`;

/** `n` requests at once; their statuses, sorted. */
async function flood(n: number, send: (i: number) => Promise<{ status: number; body: unknown }>) {
  const replies = await Promise.all(Array.from({ length: n }, (_, i) => send(i)));
  return { replies, statuses: replies.map((r) => r.status).sort() };
}

function assertCapError(reply: { status: number; body: unknown }, cap: string, field: string, limit: number, what: string) {
  assert.equal(reply.status, 409, JSON.stringify(reply.body));
  assert.deepEqual(reply.body, {
    error: { code: "conflict", message: `Limit reached: at most ${limit} ${what} (${cap})`, details: { [field]: `At most ${limit} ${what}`, limit: cap } },
  });
}

let tenant: Tenant;
let token: string;
/** An application the flood created, for the secrets flood. */
let floodedAppId: string;
before(async () => {
  ({ tenant, token } = await adminSession("limits"));
});

describe("per-tenant caps", () => {
  it("applications: a flood stops at GRANTRY_MAX_APPLICATIONS, with the exact error", async () => {
    const cap = env().GRANTRY_MAX_APPLICATIONS;
    const have = await db.application.count({ where: { tenantId: tenant.id } });
    await db.application.createMany({
      data: Array.from({ length: cap - have - 3 }, (_, i) => ({
        id: id(),
        tenantId: tenant.id,
        name: `Filler ${i}`,
        clientId: `filler-${randomBytes(8).toString("hex")}`,
      })),
    });
    const { replies, statuses } = await flood(10, (i) => call(tenant, "POST", "/applications", { token, body: { name: `Flood ${i}` } }));
    assert.deepEqual(statuses, [...Array(3).fill(201), ...Array(7).fill(409)]);
    floodedAppId = (replies.find((r) => r.status === 201)!.body as { id: string }).id;
    assertCapError(
      replies.find((r) => r.status === 409)!,
      "GRANTRY_MAX_APPLICATIONS",
      "_",
      cap,
      "applications in this tenant",
    );
    assert.equal(await db.application.count({ where: { tenantId: tenant.id } }), cap);
  });

  it("secrets: a flood stops at GRANTRY_MAX_SECRETS_PER_APPLICATION active secrets; revoking one makes room", async () => {
    const cap = env().GRANTRY_MAX_SECRETS_PER_APPLICATION;
    const app = { id: floodedAppId };
    const { replies, statuses } = await flood(cap + 5, () => call(tenant, "POST", `/applications/${app.id}/secrets`, { token, body: {} }));
    assert.deepEqual(statuses, [...Array(cap - 1).fill(201), ...Array(6).fill(409)]);
    assertCapError(
      replies.find((r) => r.status === 409)!,
      "GRANTRY_MAX_SECRETS_PER_APPLICATION",
      "_",
      cap,
      "active secrets for this application",
    );
    assert.equal(await db.clientSecret.count({ where: { applicationId: app.id, revokedAt: null } }), cap);
    const one = await db.clientSecret.findFirstOrThrow({ where: { applicationId: app.id } });
    assert.equal((await call(tenant, "DELETE", `/applications/${app.id}/secrets/${one.id}`, { token })).status, 204);
    assert.equal((await call(tenant, "POST", `/applications/${app.id}/secrets`, { token, body: {} })).status, 201);
  });

  it("APIs and scopes: floods stop at GRANTRY_MAX_APIS and GRANTRY_MAX_SCOPES_PER_API", async () => {
    const cap = env().GRANTRY_MAX_APIS;
    const have = await db.api.count({ where: { tenantId: tenant.id } });
    await db.api.createMany({
      data: Array.from({ length: cap - have - 2 }, (_, i) => {
        const identifier = `https://filler-${i}.limits.example.com`;
        return { id: id(), tenantId: tenant.id, name: `Filler ${i}`, identifier, canonicalIdentifier: identifier };
      }),
    });
    const { replies, statuses } = await flood(6, (i) =>
      call(tenant, "POST", "/apis", { token, body: { name: `Flood ${i}`, identifier: `https://flood-${i}.limits.example.com` } }),
    );
    assert.deepEqual(statuses, [201, 201, 409, 409, 409, 409]);
    assertCapError(
      replies.find((r) => r.status === 409)!,
      "GRANTRY_MAX_APIS",
      "_",
      cap,
      "APIs in this tenant",
    );
    assert.equal(await db.api.count({ where: { tenantId: tenant.id } }), cap);

    const scopeCap = env().GRANTRY_MAX_SCOPES_PER_API;
    const api = replies.find((r) => r.status === 201)!.body as { id: string };
    await db.scope.createMany({
      data: Array.from({ length: scopeCap - 2 }, (_, i) => ({ id: id(), tenantId: tenant.id, apiId: api.id, name: `filler:${i}` })),
    });
    const scopes = await flood(5, (i) => call(tenant, "POST", `/apis/${api.id}/scopes`, { token, body: { name: `flood:${i}` } }));
    assert.deepEqual(scopes.statuses, [201, 201, 409, 409, 409]);
    assertCapError(
      scopes.replies.find((r) => r.status === 409)!,
      "GRANTRY_MAX_SCOPES_PER_API",
      "name",
      scopeCap,
      "scopes on this API",
    );
    assert.equal(await db.scope.count({ where: { apiId: api.id } }), scopeCap);
  });

  it("grants: a flood stops at GRANTRY_MAX_GRANTS", async () => {
    const cap = env().GRANTRY_MAX_GRANTS;
    const apps = await db.application.findMany({ where: { tenantId: tenant.id }, select: { id: true }, orderBy: { id: "asc" } });
    const apis = await db.api.findMany({ where: { tenantId: tenant.id, kind: "custom" }, select: { id: true }, orderBy: { id: "asc" } });
    const have = await db.grant.count({ where: { tenantId: tenant.id } });
    const pairs = apps.flatMap((a) => apis.map((p) => ({ applicationId: a.id, apiId: p.id })));
    assert.ok(pairs.length >= cap + 10, "enough application × API pairs to pass the cap");
    await db.grant.createMany({ data: pairs.slice(0, cap - have - 2).map((p) => ({ id: id(), tenantId: tenant.id, ...p })), skipDuplicates: true });
    const rest = pairs.slice(cap - have - 2, cap - have + 4);
    const { replies, statuses } = await flood(rest.length, (i) =>
      call(tenant, "POST", "/grants", { token, body: { application_id: rest[i]!.applicationId, api_id: rest[i]!.apiId, scopes: [] } }),
    );
    assert.deepEqual(statuses, [201, 201, 409, 409, 409, 409]);
    assertCapError(
      replies.find((r) => r.status === 409)!,
      "GRANTRY_MAX_GRANTS",
      "_",
      cap,
      "grants in this tenant",
    );
    assert.equal(await db.grant.count({ where: { tenantId: tenant.id } }), cap);
  });
});

describe("signing key rotation", () => {
  it("30 rotations: those beyond GRANTRY_RATE_LIMIT_KEY_ROTATION get 429, and the JWKS stays capped", async () => {
    const session = await adminSession("rotation-flood");
    const statuses: number[] = [];
    let refused: { status: number; headers: Headers; body: unknown } | undefined;
    for (let i = 0; i < 30; i++) {
      // A token from the current key each time: capping retires the keys that signed the older ones.
      const token = await mintToken(session.tenant, session.client);
      let reply = await call(session.tenant, "POST", "/keys/rotate", { token });
      // A key set reloaded for an unknown kid at most once a second may not know the newest key yet.
      if (reply.status === 401) {
        await new Promise((r) => setTimeout(r, 1100));
        reply = await call(session.tenant, "POST", "/keys/rotate", { token });
      }
      statuses.push(reply.status);
      if (reply.status === 429) refused ??= reply;
    }
    assert.deepEqual(statuses, [...Array(10).fill(200), ...Array(20).fill(429)], "the default GRANTRY_RATE_LIMIT_KEY_ROTATION is 10/1h");
    assert.equal((refused!.body as { error: { code: string } }).error.code, "rate_limited");
    assert.match(
      (refused!.body as { error: { message: string } }).error.message,
      /^Signing keys were rotated too often \(GRANTRY_RATE_LIMIT_KEY_ROTATION\); try again in \d+ seconds$/,
    );
    assert.ok(Number(refused!.headers.get("retry-after")) >= 1);

    const keep = env().GRANTRY_MAX_PREVIOUS_KEYS;
    const keys = await db.signingKey.findMany({ where: { tenantId: session.tenant.id }, orderBy: { createdAt: "asc" } });
    assert.equal(keys.length, 11);
    assert.deepEqual(
      keys.map((k) => k.state),
      [...Array(10 - keep).fill("retired"), ...Array(keep).fill("previous"), "current"],
      "the oldest previous keys are retired first",
    );
    const published = keys
      .filter((k) => k.state !== "retired")
      .map((k) => k.kid)
      .sort();
    // The JWKS endpoint serves what the database holds (its cache follows the tenant's config version).
    let jwks: string[] = [];
    for (let i = 0; i < 50; i++) {
      const body = (await (await fetch(serverUrl(`${session.tenant.issuer}/.well-known/jwks.json`))).json()) as { keys: { kid: string }[] };
      jwks = body.keys.map((k) => k.kid).sort();
      if (jwks.join() === published.join()) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(jwks, published);
    assert.equal(jwks.length, keep + 1);
  });
});

describe("tenant creation", () => {
  it("is rate-limited per user (GRANTRY_RATE_LIMIT_TENANT_CREATION), each user on their own", async () => {
    const saved = process.env.GRANTRY_RATE_LIMIT_TENANT_CREATION;
    process.env.GRANTRY_RATE_LIMIT_TENANT_CREATION = "3/1h";
    resetLimiters();
    try {
      const users = await Promise.all(
        ["a", "b"].map((n) => db.user.create({ data: { email: `${randomSlug(`limits-${n}`)}@example.com`, name: n, passwordHash: "x" } })),
      );
      const actor = { type: "member" as const, id: users[0]!.id, label: users[0]!.email, ceiling: roleCeiling("owner") };
      for (let i = 0; i < 3; i++) await createTenant({ slug: randomSlug("rl") }, actor, users[0]!.id);
      const slug = randomSlug("rl");
      await assert.rejects(
        createTenant({ slug }, actor, users[0]!.id),
        (e) => e instanceof RateLimitedError && e.status === 429 && /^Too many tenants created \(GRANTRY_RATE_LIMIT_TENANT_CREATION\)/.test(e.message),
      );
      assert.equal(await db.tenant.count({ where: { slug } }), 0, "nothing was created");
      await createTenant({ slug: randomSlug("rl") }, { type: "member", id: users[1]!.id, label: users[1]!.email, ceiling: roleCeiling("owner") }, users[1]!.id);
    } finally {
      if (saved === undefined) delete process.env.GRANTRY_RATE_LIMIT_TENANT_CREATION;
      else process.env.GRANTRY_RATE_LIMIT_TENANT_CREATION = saved;
      resetLimiters();
    }
  });
});
