// Grants as code through the domain and the Management API (/config): round
// trip, idempotence, prune, all-or-nothing, bad files, another tenant's
// objects, the delegation ceiling, and the JSON Schema over every export.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import { SignJWT } from "jose";
import { parse, stringify } from "yaml";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createApi } from "@/lib/domain/apis";
import { createApplication, updateApplication } from "@/lib/domain/applications";
import { createClientKey } from "@/lib/domain/client-keys";
import { setGrant } from "@/lib/domain/grants";
import { applyTenantConfig, exportTenantYaml, planTenantConfig } from "@/lib/domain/tenant-config";
import { call, mintToken, requestToken, seedClient, seedTenant, serverUrl, type Tenant } from "./support";

after(() => db.$disconnect());

const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(fs.readFileSync("schemas/tenant.v1.json", "utf8")) as object);
const exports: string[] = [];

/** The tenant's file, kept for the JSON Schema check at the end. */
async function exported(tenant: Pick<Tenant, "id">): Promise<string> {
  const yaml = await exportTenantYaml(tenant.id);
  exports.push(yaml);
  return yaml;
}

const FUTURE = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString();
/** The reporter's signing key: the file carries its public half only. */
const signer = generateKeyPairSync("ec", { namedCurve: "P-256" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });

/**
 * A tenant with every kind of object the file holds: APIs (non-default
 * settings, described scopes), applications (disabled, quotas, assertions
 * only, public key sets from a PEM and a JWK), grants (expiry, quotas, the
 * Management API).
 */
async function seedEverything(prefix: string): Promise<Tenant & { orders: string }> {
  const tenant = await seedTenant(prefix);
  const orders = `https://orders-${tenant.slug}.example.com/v1`;
  const api = await createApi(
    tenant.id,
    {
      name: "Orders",
      identifier: orders,
      token_lifetime: 600,
      signing_alg: "ES256",
      scopes: [{ name: "read:orders", description: "Read orders" }, { name: "write:orders" }],
    },
    SYSTEM_ACTOR,
  );
  await createApi(tenant.id, { name: "Stock", identifier: `urn:${tenant.slug}:stock` }, SYSTEM_ACTOR);
  const billing = await createApplication(tenant.id, { name: "Billing", description: "Bills customers", key: "billing" }, SYSTEM_ACTOR);
  await updateApplication(
    tenant.id,
    billing.application.id,
    { enabled: false, quota_per_hour: 100, quota_per_day: 1000, quota_mode: "log", assertions_only: true },
    SYSTEM_ACTOR,
  );
  const pem = rsa.publicKey.export({ format: "pem", type: "spki" }).toString();
  await createClientKey(tenant.id, billing.application.id, { name: "Billing RSA", public_key: pem, expires_at: FUTURE }, SYSTEM_ACTOR);
  const reporter = await createApplication(tenant.id, { name: "Réporter ✓" }, SYSTEM_ACTOR);
  const jwk = { ...(signer.publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: "reporter-1" };
  await createClientKey(tenant.id, reporter.application.id, { name: "Reporter EC", public_key: jwk }, SYSTEM_ACTOR);
  await setGrant(
    tenant.id,
    { application_id: billing.application.id, api_id: api.id, scopes: ["read:orders"], expires_at: FUTURE, quota_per_day: 50, quota_mode: "log" },
    SYSTEM_ACTOR,
  );
  await setGrant(tenant.id, { application_id: reporter.application.id, api_id: api.id, scopes: [] }, SYSTEM_ACTOR);
  await setGrant(tenant.id, { application_id: reporter.application.id, api_id: tenant.managementApiId, scopes: ["read:config", "read:logs"] }, SYSTEM_ACTOR);
  return { ...tenant, orders };
}

async function state(tenant: Pick<Tenant, "id">) {
  const [file, version, events] = await Promise.all([
    exportTenantYaml(tenant.id),
    db.tenant.findUniqueOrThrow({ where: { id: tenant.id }, select: { configVersion: true } }),
    db.auditEvent.count({ where: { tenantId: tenant.id } }),
  ]);
  return { file, version: version.configVersion, events };
}

describe("export and apply", () => {
  let source: Tenant & { orders: string };
  let file: string;
  before(async () => {
    source = await seedEverything("gac-src");
    file = await exported(source);
  });

  it("round trip: a tenant's file applied to an empty tenant exports identically", async () => {
    const doc = parse(file);
    assert.equal(doc.apis.length, 2);
    assert.deepEqual(
      doc.applications.map((a: { key: string }) => a.key),
      ["billing", "reporter"],
    );
    assert.equal(doc.grants.length, 3);
    assert.doesNotMatch(file, /secret|grantry_|PRIVATE KEY|^\s+(d|p|q|dp|dq|qi): /im, "no secrets, no private keys");
    assert.deepEqual(
      doc.applications.map((a: { public_keys: Array<{ name: string; public_key: { keys: Array<{ kid: string }> } }> }) => a.public_keys.map((k) => k.name)),
      [["Billing RSA"], ["Reporter EC"]],
    );
    assert.equal(doc.applications[0].assertions_only, true);
    const empty = await seedTenant("gac-dst");
    const applied = await applyTenantConfig(empty.id, file, SYSTEM_ACTOR);
    assert.deepEqual(applied.summary, { create: 9, update: 1, delete: 0 });
    assert.equal(applied.secrets.length, 2);
    assert.equal(await exported(empty), file);
  });

  it("is idempotent: the second apply finds nothing to do and changes nothing", async () => {
    const target = await seedTenant("gac-idem");
    await applyTenantConfig(target.id, file, SYSTEM_ACTOR);
    const first = await state(target);
    const again = await applyTenantConfig(target.id, file, SYSTEM_ACTOR);
    assert.deepEqual(again.changes, []);
    assert.deepEqual(again.secrets, []);
    assert.deepEqual(await state(target), first, "no version bump, no audit event");
    assert.deepEqual((await planTenantConfig(target.id, file, { prune: true })).changes, []);
  });

  it("records one audit event with the change list, and the new applications' secrets work", async () => {
    const target = await seedTenant("gac-audit");
    const applied = await applyTenantConfig(target.id, file, SYSTEM_ACTOR);
    const events = await db.auditEvent.findMany({ where: { tenantId: target.id, action: { not: "tenant.create" } } });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.action, "config.apply");
    assert.deepEqual((events[0]!.after as { changes: unknown[] }).changes, applied.changes);
    assert.doesNotMatch(JSON.stringify(events), /grantry_/, "no secret in the trail");
    const reporter = applied.secrets.find((s) => s.key === "reporter")!;
    const token = await requestToken(target, { id: "", clientId: reporter.client_id, clientSecret: reporter.client_secret, secretId: "", name: "" });
    const res = await call(target, "GET", "/config", { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.apiVersion, "grantry/v1");

    // The key set the file carried authenticates the same application with private_key_jwt.
    const assertion = await new SignJWT({ iss: reporter.client_id, sub: reporter.client_id, aud: target.issuer, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: "reporter-1" })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(signer.privateKey);
    const signed = await fetch(serverUrl(`${target.issuer}/oauth/token`), {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        audience: target.issuer,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      }),
    });
    assert.equal(signed.status, 200, await signed.text());
  });

  it("deletes what the file leaves out only with prune", async () => {
    const target = await seedTenant("gac-prune");
    await applyTenantConfig(target.id, file, SYSTEM_ACTOR);
    const doc = parse(file);
    doc.applications = doc.applications.filter((a: { key: string }) => a.key !== "reporter");
    doc.grants = doc.grants.filter((g: { application: string }) => g.application !== "reporter");
    doc.apis = doc.apis.filter((a: { identifier: string }) => a.identifier === source.orders);
    const smaller = JSON.stringify(doc);
    const kept = await applyTenantConfig(target.id, smaller, SYSTEM_ACTOR);
    assert.deepEqual(kept.changes, []);
    assert.equal(kept.unlisted.length, 4);
    assert.equal(await db.application.count({ where: { tenantId: target.id } }), 2);
    const pruned = await applyTenantConfig(target.id, smaller, SYSTEM_ACTOR, { prune: true });
    assert.deepEqual(
      pruned.changes.map((c) => `${c.action} ${c.kind} ${c.key}`),
      [
        `delete api urn:${source.slug}:stock`,
        "delete application reporter",
        `delete grant reporter → ${source.orders}`,
        "delete grant reporter → urn:grantry:management-api",
      ],
    );
    assert.equal(await db.application.count({ where: { tenantId: target.id } }), 1);
    assert.equal(await db.api.count({ where: { tenantId: target.id } }), 2, "the Orders API and the Management API");
    assert.deepEqual(
      parse(await exported(target)).applications.map((a: { key: string }) => a.key),
      ["billing"],
    );
  });

  it("fails as a whole: a write that fails half-way leaves the tenant as it was", async () => {
    const target = await seedTenant("gac-half");
    const before = await state(target);
    // The grants are written last: make the database refuse them for this tenant only.
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION gac_refuse_grant() RETURNS trigger AS $$
      BEGIN IF NEW."tenantId" = '${target.id}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER gac_refuse_grant BEFORE INSERT ON "Grant" FOR EACH ROW EXECUTE FUNCTION gac_refuse_grant()`);
    try {
      await assert.rejects(applyTenantConfig(target.id, file, SYSTEM_ACTOR), /refused by the test/);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER gac_refuse_grant ON "Grant"`);
    }
    assert.deepEqual(await state(target), before, "no API, application, secret or audit event was left behind");
    assert.equal(await db.clientSecret.count({ where: { tenantId: target.id } }), 0);
  });
});

describe("the Management API's /config", () => {
  let tenant: Tenant & { orders: string };
  let token: string;
  let file: string;
  before(async () => {
    tenant = await seedEverything("gac-api");
    token = await mintToken(tenant, await seedClient(tenant, ["read:config", "apply:config", "update:tenant", "read:applications"]), {
      scope: "read:config apply:config update:tenant read:applications",
    });
    file = await exported(tenant);
  });

  it("exports JSON, or YAML when Accept asks for it, with read:config only", async () => {
    const json = await call(tenant, "GET", "/config", { token });
    assert.equal(json.status, 200);
    assert.deepEqual(json.body, parse(file));
    const res = await fetch(serverUrl(`${tenant.issuer}/api/v1/config`), { headers: { authorization: `Bearer ${token}`, accept: "application/yaml" } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/yaml/);
    assert.equal(await res.text(), file);
    const stranger = await mintToken(tenant, await seedClient(tenant, ["read:applications"]), { scope: "read:applications" });
    assert.equal((await call(tenant, "GET", "/config", { token: stranger })).status, 403);
    assert.equal((await call(tenant, "POST", "/config/apply", { token: stranger, raw: file })).status, 403);
  });

  it("plans exactly the changed fields of each kind, then applies them", async () => {
    const edited = file
      .replace(`name: ${tenant.slug}`, "name: Acme Corp")
      .replace("token_lifetime: 600", "token_lifetime: 900")
      .replace("description: Read orders", "description: Read all orders")
      .replace("description: Bills customers", "description: Bills everyone")
      .replace("quota_per_day: 50", "quota_per_day: 60");
    const plan = await call(tenant, "POST", "/config/plan", { token, raw: edited, headers: { "content-type": "application/yaml" } });
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    assert.deepEqual(
      plan.body.changes.map((c: { action: string; kind: string; fields: object }) => [c.action, c.kind, c.fields]),
      [
        ["update", "tenant", { name: { from: tenant.slug, to: "Acme Corp" } }],
        ["update", "api", { token_lifetime: { from: 600, to: 900 } }],
        ["update", "scope", { description: { from: "Read orders", to: "Read all orders" } }],
        ["update", "application", { description: { from: "Bills customers", to: "Bills everyone" } }],
        ["update", "grant", { quota_per_day: { from: 50, to: 60 } }],
      ],
    );
    const applied = await call(tenant, "POST", `/config/apply?plan=${plan.body.digest}`, {
      token,
      raw: edited,
      headers: { "content-type": "application/yaml" },
    });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual(applied.body.changes, plan.body.changes);
    const logs = await db.auditEvent.findMany({ where: { tenantId: tenant.id, action: "config.apply" } });
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.actorType, "client");
    file = await exported(tenant);
    assert.equal((await call(tenant, "POST", `/config/apply?plan=${plan.body.digest}`, { token, raw: file })).status, 409, "a stale plan");
  });

  it("refuses each bad file with a clear error, placed at its line, and changes nothing", async () => {
    const before = await state(tenant);
    // Each file changes something valid too: none of it may be made.
    const changed = file.replace(/description: Bills [a-z]+/, "description: Changed");
    assert.notEqual(changed, file);
    const withGrant = (grant: string) => `${changed.trimEnd()}\n${grant}`;
    const cases: Array<[string, string, number, RegExp]> = [
      ["invalid YAML", changed.replace("apis:\n", "apis:\n  - [unclosed\n"), 422, /\(line \d+, column \d+\)/],
      ["an unknown field", changed.replace("  - key: billing\n", "  - key: billing\n    colour: red\n"), 422, /Unknown field \(line \d+, column 5\)/],
      [
        "a scope not defined on its API",
        withGrant(`  - application: billing\n    api: urn:${tenant.slug}:stock\n    scopes: [read:stock]`),
        422,
        /"read:stock" is not a scope of urn:/,
      ],
      ["a duplicated key", changed.replace("  - key: reporter\n", "  - key: billing\n"), 422, /The key "billing" is listed twice \(line \d+, column \d+\)/],
      [
        "a grant to an undeclared application",
        withGrant(`  - application: ghost\n    api: ${tenant.orders}\n    scopes: []`),
        422,
        /No application of this file has the key "ghost"/,
      ],
      ["a mapping key given twice", changed.replace("kind: Tenant\n", "kind: Tenant\nkind: Tenant\n"), 422, /A key is given twice/],
      // Last in the file, after valid changes: nothing of those is made either.
      [
        "an invalid grant at the end",
        withGrant(`  - application: reporter\n    api: urn:${tenant.slug}:stock\n    scopes: []\n    expires_at: 2001-01-01T00:00:00Z`),
        422,
        /Must be in the future \(line \d+, column \d+\)/,
      ],
    ];
    for (const [what, body, status, message] of cases) {
      const res = await call(tenant, "POST", "/config/apply?prune=true", { token, raw: body, headers: { "content-type": "application/yaml" } });
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "validation_failed", what);
      assert.match(Object.values(res.body.error.details as Record<string, string>).join("\n"), message, what);
    }
    const huge = `${file}\n# ${"x".repeat(10 * 1024 * 1024)}\n`;
    const tooLarge = await call(tenant, "POST", "/config/apply", { token, raw: huge, headers: { "content-type": "application/yaml" } });
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body.error.message, /GRANTRY_MAX_CONFIG_BYTES/);
    const xml = await call(tenant, "POST", "/config/plan", { token, raw: "<tenant/>", headers: { "content-type": "application/xml" } });
    assert.equal(xml.status, 415);
    assert.deepEqual(await state(tenant), before);
  });

  it("answers 500 hostile files with no 5xx and changes nothing", { timeout: 180_000 }, async () => {
    const before = await state(tenant);
    const mutated = fc.oneof(
      // The real file cut short, or with a character put in anywhere.
      fc.nat(file.length).map((n) => file.slice(0, n)),
      fc
        .tuple(
          fc.nat(file.length),
          fc.constantFrom(":", "-", "[", "{", '"', "'", "&a", "*a", "!!binary", "\t", "\n  ", "#", "|", ">", "\u0000", "%YAML 1.1\n---\n"),
        )
        .map(([n, c]) => file.slice(0, n) + c + file.slice(n)),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ apiVersion: "grantry/v1", kind: "Tenant", apis: v, applications: v, grants: v })),
      fc.string({ maxLength: 300 }),
      fc.constantFrom("[".repeat(5000), "a: &a [1]\n" + "b: [*a, *a, *a, *a]\n".repeat(200), "--- !!python/object:os.system\n", `${file}\n---\n${file}`),
    );
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(mutated, fc.constantFrom("application/yaml", "application/json", "text/plain"), async (body, type) => {
        const res = await call(tenant, "POST", "/config/plan?prune=true", { token, raw: body, headers: { "content-type": type } });
        seen.add(res.status);
        assert.ok(res.status < 500, `${res.status} ${JSON.stringify(res.body)} for ${JSON.stringify(body.slice(0, 200))}`);
        if (res.status !== 200) assert.ok(res.body.error.message, "a clear error");
      }),
      { numRuns: 500 },
    );
    assert.ok(seen.has(422), [...seen].join(" "));
    assert.deepEqual(await state(tenant), before);
  });

  it("refuses another tenant's objects", async () => {
    const other = await seedEverything("gac-other");
    const foreign = await db.application.findFirstOrThrow({ where: { tenantId: other.id, key: "billing" }, select: { clientId: true } });
    const before = await state(tenant);
    const pinned = file.replace("  - key: billing\n", `  - key: billing\n    client_id: ${foreign.clientId}\n`);
    const res = await call(tenant, "POST", "/config/apply", { token, raw: pinned });
    assert.equal(res.status, 422);
    assert.match(res.body.error.details["applications.0.client_id"], /No application of this tenant has this client id \(line \d+/);
    const theirs = `${file.trimEnd()}\n  - application: billing\n    api: ${other.issuer}\n    scopes: [read:config]\n`;
    const grant = await call(tenant, "POST", "/config/apply", { token, raw: theirs });
    assert.equal(grant.status, 422);
    assert.match(JSON.stringify(grant.body.error.details), /No API of this file has the identifier/);
    assert.deepEqual(await state(tenant), before);
  });

  it("refuses a file beyond the caller's delegation ceiling, and audits the refusal", async () => {
    const narrow = await seedClient(tenant, ["read:config", "apply:config"], "Narrow CI");
    const narrowToken = await mintToken(tenant, narrow, { scope: "read:config apply:config" });
    const before = await state(tenant);
    const escalate = file.replace("      - read:config\n      - read:logs\n", "      - read:config\n      - read:logs\n      - create:applications\n");
    assert.notEqual(escalate, file);
    const res = await call(tenant, "POST", "/config/apply", { token: narrowToken, raw: escalate });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "insufficient_scope");
    assert.match(res.body.error.details.scopes, /create:applications/);
    const rename = file.replace(/^ {2}name: .*$/m, "  name: Taken over");
    assert.equal((await call(tenant, "POST", "/config/apply", { token: narrowToken, raw: rename })).status, 403, "renaming needs update:tenant");
    const after = await state(tenant);
    assert.equal(after.file, before.file);
    assert.equal(after.version, before.version);
    assert.equal(await db.auditEvent.count({ where: { tenantId: tenant.id, action: "config.apply.refused", actorId: narrow.clientId } }), 2);
    // Granting what it holds is within its ceiling.
    const within = file.replace("      - read:config\n      - read:logs\n", "      - apply:config\n      - read:config\n      - read:logs\n");
    assert.equal((await call(tenant, "POST", "/config/apply", { token: narrowToken, raw: within })).status, 200);
    file = await exported(tenant);
  });

  it("refuses a key set for an application holding more than the caller: a key is that application's authority", async () => {
    const narrow = await seedClient(tenant, ["read:config", "apply:config"], "Key-planting CI");
    const narrowToken = await mintToken(tenant, narrow, { scope: "read:config apply:config" });
    const before = await state(tenant);
    const doc = parse(file) as { applications: Array<{ key: string; public_keys?: unknown[] }>; grants: Array<{ application: string; scopes: string[] }> };
    const holder = doc.grants.find((g) => g.scopes.includes("read:logs"))!.application;
    const planted = generateKeyPairSync("ec", { namedCurve: "P-256" });
    doc.applications.find((a) => a.key === holder)!.public_keys = [{ name: "Planted", public_key: planted.publicKey.export({ format: "jwk" }) }];
    const res = await call(tenant, "POST", "/config/apply", { token: narrowToken, raw: stringify(doc) });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.match(res.body.error.details.scopes, /read:logs/);
    assert.equal((await state(tenant)).file, before.file, "no key added");
  });

  it("will not let a client prune away its own application", async () => {
    const self = await seedClient(tenant, ["read:config", "apply:config"], "Self-pruning CI");
    const selfToken = await mintToken(tenant, self, { scope: "read:config apply:config" });
    const before = await state(tenant);
    const res = await call(tenant, "POST", "/config/apply?prune=true", { token: selfToken, raw: file });
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /deletes the application making this call/);
    assert.equal((await state(tenant)).file, before.file);
  });
});

describe("the JSON Schema", () => {
  it("validates every file exported above", () => {
    assert.ok(exports.length >= 6, `${exports.length} exports`);
    for (const yaml of exports) assert.equal(validate(parse(yaml)), true, JSON.stringify(validate.errors));
  });

  it("is served at /schemas/tenant.v1.json", async () => {
    const res = await fetch(serverUrl(`${process.env.GRANTRY_URL}/schemas/tenant.v1.json`));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), JSON.parse(fs.readFileSync("schemas/tenant.v1.json", "utf8")));
  });
});
