// The dashboard's first-token flow, called as the browser calls it (real
// server actions over HTTP with a session): the API Test tab makes no
// one-hour secret for an application the token endpoint would refuse (no
// grant, or an expired one); an API is created with its scopes, blank rows
// skipped, and a bad row's error names that row of the form.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { db } from "@/lib/db";
import { addMember } from "../helpers/members";
import { expireGrant, seedApi, seedApplication, seedGrant, seedTenant, type SeededTenant } from "../helpers/seed";
import { invoke, show, signIn } from "../helpers/server-action";

after(() => db.$disconnect());

const PASSWORD = "long enough password";
let tenant: SeededTenant;
let cookie: string;

before(async () => {
  tenant = await seedTenant();
  const email = `flow-${randomBytes(4).toString("hex")}@example.com`;
  await addMember(tenant.id, { email, role: "admin", password: PASSWORD });
  cookie = await signIn(email, PASSWORD);
});

const secretsOf = (applicationId: string) => db.clientSecret.count({ where: { applicationId } });
const secretAudits = () => db.auditEvent.count({ where: { tenantId: tenant.id, action: "secret.create" } });

function testToken(apiId: string, applicationId: string) {
  return invoke("testTokenAction", [tenant.slug, apiId, { applicationId, secret: "", freshSecret: true, scope: "" }], `/dashboard/${tenant.slug}`, cookie);
}

test("the Test tab refuses a fresh secret to an application without a grant, or with an expired one, and makes one for a granted application", async () => {
  const api = await seedApi(tenant.id, { name: "Orders API" });
  const stranger = await seedApplication(tenant.id, "Stranger");
  const before = { secrets: await secretsOf(stranger.id), audit: await secretAudits() };

  const refused = await testToken(api.id, stranger.id);
  assert.ok(refused.outcome.kind === "result" && !refused.outcome.ok, `expected a refusal, got ${show(refused)}`);
  assert.match(refused.outcome.message, /Stranger is not authorized for Orders API.*no test secret was created/);
  assert.match(refused.outcome.fieldErrors.secret ?? "", /No secret was created/);
  assert.equal(await secretsOf(stranger.id), before.secrets, "no secret created");
  assert.equal(await secretAudits(), before.audit, "no secret.create in the audit trail");

  const grant = await seedGrant(tenant.id, stranger.id, api);
  await expireGrant(tenant.id, grant.id);
  const expired = await testToken(api.id, stranger.id);
  assert.ok(expired.outcome.kind === "result" && !expired.outcome.ok, `expected a refusal, got ${show(expired)}`);
  assert.match(expired.outcome.message, /grant for Orders API has expired/);
  assert.equal(await secretsOf(stranger.id), before.secrets, "no secret created for an expired grant");

  // The control: a live grant gets its fresh secret, and the token with it.
  await seedGrant(tenant.id, stranger.id, api);
  const granted = await testToken(api.id, stranger.id);
  assert.ok(granted.outcome.kind === "result" && granted.outcome.ok, `expected a token, got ${show(granted)}`);
  const data = granted.outcome.data as { status: number; freshSecret: string | null; claims: Record<string, unknown> | null };
  assert.match(data.freshSecret ?? "", /^grantry_/);
  assert.equal(await secretsOf(stranger.id), before.secrets + 1);
});

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

function createApi(fields: Record<string, string>) {
  return invoke("createApiAction", [tenant.slug, null, form(fields)], `/dashboard/${tenant.slug}`, cookie);
}

test("an API is created with its scopes; a bad scope's error names its row of the form and creates nothing", async () => {
  const identifier = `https://scoped-${randomBytes(4).toString("hex")}.example.com/`;
  const base = { name: "Scoped API", identifier, token_lifetime: "3600", signing_alg: "ES256" };
  // Row 1 is blank (skipped), so the domain's scopes[1] is the form's row 2.
  const bad = await createApi({
    ...base,
    "scopes.0.name": "read:orders",
    "scopes.0.description": "Read orders",
    "scopes.1.name": "",
    "scopes.1.description": "",
    "scopes.2.name": "read:orders,write:orders",
  });
  assert.ok(bad.outcome.kind === "result" && !bad.outcome.ok, `expected a refusal, got ${show(bad)}`);
  assert.deepEqual(Object.keys(bad.outcome.fieldErrors), ["scopes.2.name"], show(bad));
  assert.equal(await db.api.count({ where: { tenantId: tenant.id, identifier } }), 0, "nothing created");

  const duplicate = await createApi({ ...base, "scopes.0.name": "read:orders", "scopes.3.name": "read:orders" });
  assert.ok(duplicate.outcome.kind === "result" && !duplicate.outcome.ok, `expected a refusal, got ${show(duplicate)}`);
  assert.match(duplicate.outcome.fieldErrors.scopes ?? "", /read:orders/);
  assert.equal(await db.api.count({ where: { tenantId: tenant.id, identifier } }), 0, "nothing created");

  const ok = await createApi({
    ...base,
    "scopes.0.name": "read:orders",
    "scopes.0.description": "Read orders",
    "scopes.1.name": "",
    "scopes.2.name": "write:orders",
  });
  assert.ok(ok.outcome.kind === "result" && ok.outcome.ok, `expected success, got ${show(ok)}`);
  assert.equal(ok.outcome.message, "API created with 2 scopes");
  const api = await db.api.findFirstOrThrow({ where: { tenantId: tenant.id, identifier }, include: { scopes: { orderBy: { name: "asc" } } } });
  assert.equal(api.id, (ok.outcome.data as { id: string }).id);
  assert.deepEqual(
    api.scopes.map((s) => [s.name, s.description]),
    [
      ["read:orders", "Read orders"],
      ["write:orders", ""],
    ],
  );
});
