// applications/{id}/federated-credentials: a script trusts an external
// issuer's workload tokens, reads, narrows and removes the trust. Bad input is
// a field-named 422 with nothing stored; a caller without the scope, or below
// the application's own authority, is refused.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, call, mintToken, seedClient, type Client, type Reply, type Tenant } from "./support";

after(() => db.$disconnect());

function assertRefused(res: Reply, field: string, message?: RegExp) {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.error.code, "validation_failed");
  assert.ok(res.body.error.details[field], JSON.stringify(res.body.error.details));
  if (message) assert.match(res.body.error.details[field], message);
}

const github = {
  name: "deploy from main",
  preset: "github",
  issuer: "https://token.actions.githubusercontent.com",
  subject: "repo:acme/billing:ref:refs/heads/main",
  audience: "https://grantry.example.com",
  conditions: { repository_owner: "acme" },
};

describe("federated credentials through the Management API", () => {
  let tenant: Tenant, token: string, admin: Client, app: Client;
  before(async () => {
    ({ tenant, token, client: admin } = await adminSession("federated"));
    app = await seedClient(tenant, null, "workload");
  });
  const path = () => `/applications/${app.id}/federated-credentials`;

  it("creates, lists, gets, narrows and deletes a credential, each change audited", async () => {
    const created = await call(tenant, "POST", path(), { token, body: github });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, created_at, ...rest } = created.body;
    assert.equal(typeof id, "string");
    assert.equal(typeof created_at, "string");
    assert.deepEqual(rest, { ...github, jwks_uri: null, last_used_at: null });
    assert.deepEqual(
      (await call(tenant, "GET", path(), { token })).body.map((c: { id: string }) => c.id),
      [id],
    );
    assert.equal((await call(tenant, "GET", `${path()}/${id}`, { token })).body.subject, github.subject);
    const patched = await call(tenant, "PATCH", `${path()}/${id}`, { token, body: { subject: "repo:acme/billing:environment:production", conditions: {} } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.subject, "repo:acme/billing:environment:production");
    assert.deepEqual(patched.body.conditions, {});
    assert.equal((await call(tenant, "DELETE", `${path()}/${id}`, { token })).status, 204);
    assert.equal((await call(tenant, "GET", `${path()}/${id}`, { token })).status, 404);
    const actions = await db.auditEvent.findMany({
      where: { tenantId: tenant.id, targetId: app.id, action: { startsWith: "federated_credential." } },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      actions.map((a) => a.action),
      ["federated_credential.create", "federated_credential.update", "federated_credential.delete"],
    );
  });

  it("refuses private and non-https issuers and other bad input, naming the field, and stores nothing", async () => {
    const cases: [Record<string, unknown>, string, RegExp?][] = [
      [{ issuer: "https://10.0.0.1" }, "issuer", /private or reserved address \(10\.0\.0\.1\)/],
      [{ issuer: "http://issuer.example.com" }, "issuer", /must be an https URL/],
      [{ issuer: "https://169.254.169.254/latest" }, "issuer", /private or reserved/],
      [{ issuer: "not a url" }, "issuer", /absolute URL/],
      [{ jwks_uri: "https://192.168.1.1/keys" }, "jwks_uri", /private or reserved/],
      [{ subject: "" }, "subject"],
      [{ subject: "x".repeat(401) }, "subject", /400/],
      [{ audience: undefined }, "audience"],
      [{ conditions: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`c${i}`, "v"])) }, "conditions", /At most 10/],
      [{ preset: "azure" }, "preset"],
      [{ name: "" }, "name"],
    ];
    for (const [change, field, message] of cases) {
      assertRefused(await call(tenant, "POST", path(), { token, body: { ...github, ...change } }), field, message);
    }
    assert.equal(await db.federatedCredential.count({ where: { tenantId: tenant.id } }), 0);
  });

  it("a caller without update:applications cannot add one", async () => {
    const reader = await mintToken(tenant, admin, { scope: "read:applications" });
    const res = await call(tenant, "POST", path(), { token: reader, body: github });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal((await call(tenant, "GET", path(), { token: reader })).status, 200);
    assert.equal(await db.federatedCredential.count({ where: { tenantId: tenant.id } }), 0);
  });

  it("a caller cannot federate an application holding Management API scopes it does not hold", async () => {
    const narrow = await mintToken(tenant, admin, { scope: "update:applications read:applications" });
    const res = await call(tenant, "POST", `/applications/${admin.id}/federated-credentials`, { token: narrow, body: github });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(await db.federatedCredential.count({ where: { tenantId: tenant.id } }), 0);
  });

  it("lists the OpenAPI operations", async () => {
    const doc = (await call(tenant, "GET", "/openapi.json")).body;
    assert.ok(doc.paths["/applications/{id}/federated-credentials"].post);
    assert.ok(doc.paths["/applications/{id}/federated-credentials/{credential_id}"].patch);
  });
});
