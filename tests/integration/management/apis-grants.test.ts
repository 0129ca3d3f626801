// apis with their scopes, and grants seen from both sides, through the Management API.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, call, type Client, type Tenant } from "./support";

after(() => db.$disconnect());

describe("apis and scopes", () => {
  let tenant: Tenant;
  let token: string;
  before(async () => ({ tenant, token } = await adminSession("apis")));

  it("create, get, list (Management API first), update, delete; the identifier is unique", async () => {
    const body = {
      name: "Orders",
      identifier: "https://orders.example.com/",
      token_lifetime: 3600,
      signing_alg: "ES256",
      scopes: [{ name: "read:orders", description: "Read orders" }, { name: "write:orders" }],
    };
    const created = await call(tenant, "POST", "/apis", { token, body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const api = created.body;
    assert.deepEqual(
      [api.name, api.identifier, api.kind, api.token_lifetime, api.signing_alg],
      ["Orders", "https://orders.example.com/", "custom", 3600, "ES256"],
    );
    assert.deepEqual(
      api.scopes.map((s: { name: string }) => s.name),
      ["read:orders", "write:orders"],
    );

    const again = await call(tenant, "POST", "/apis", { token, body: { name: "Dup", identifier: "https://orders.example.com/" } });
    assert.equal(again.status, 409);
    assert.ok(again.body.error.details.identifier);
    const reserved = await call(tenant, "POST", "/apis", { token, body: { name: "Mine", identifier: tenant.issuer } });
    assert.equal(reserved.status, 409);

    const list = await call(tenant, "GET", "/apis", { token });
    assert.equal(list.status, 200);
    assert.equal(list.body[0].kind, "management");
    assert.equal(list.body[0].identifier, tenant.issuer);
    assert.equal(list.headers.get("x-total-count"), "2");

    const updated = await call(tenant, "PATCH", `/apis/${api.id}`, { token, body: { name: "Orders API", token_lifetime: 7200 } });
    assert.equal(updated.status, 200);
    assert.deepEqual([updated.body.name, updated.body.token_lifetime, updated.body.identifier], ["Orders API", 7200, api.identifier]);
    const immutable = await call(tenant, "PATCH", `/apis/${api.id}`, { token, body: { identifier: "https://other.example.com/" } });
    assert.equal(immutable.status, 422);
    assert.equal(immutable.body.error.details.identifier, "Unknown field");

    const audit = (await call(tenant, "GET", "/logs?action=api.update", { token })).body[0];
    assert.equal(audit.before.name, "Orders");
    assert.equal(audit.after.name, "Orders API");

    assert.equal((await call(tenant, "DELETE", `/apis/${api.id}`, { token })).status, 204);
    assert.equal((await call(tenant, "GET", `/apis/${api.id}`, { token })).status, 404);
  });

  it("the Management API cannot be deleted, renamed or given scopes", async () => {
    const del = await call(tenant, "DELETE", `/apis/${tenant.managementApiId}`, { token });
    assert.equal(del.status, 403);
    assert.equal(del.body.error.code, "forbidden");
    assert.equal((await call(tenant, "PATCH", `/apis/${tenant.managementApiId}`, { token, body: { name: "Mine now" } })).status, 403);
    assert.equal((await call(tenant, "POST", `/apis/${tenant.managementApiId}/scopes`, { token, body: { name: "admin:all" } })).status, 403);
    assert.equal((await call(tenant, "GET", `/apis/${tenant.managementApiId}`, { token })).body.name, "Grantry Management API");
  });

  it("scopes: list, add, remove (by name, percent-encoded)", async () => {
    const api = (await call(tenant, "POST", "/apis", { token, body: { name: "Things", identifier: "urn:example:things" } })).body;
    const added = await call(tenant, "POST", `/apis/${api.id}/scopes`, { token, body: { name: "read/things", description: "Read" } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual([added.body.name, added.body.description], ["read/things", "Read"]);
    assert.equal((await call(tenant, "POST", `/apis/${api.id}/scopes`, { token, body: { name: "read/things" } })).status, 409);
    assert.equal((await call(tenant, "POST", `/apis/${api.id}/scopes`, { token, body: { name: "has space" } })).status, 422);
    const list = await call(tenant, "GET", `/apis/${api.id}/scopes`, { token });
    assert.deepEqual(
      list.body.map((s: { name: string }) => s.name),
      ["read/things"],
    );
    assert.equal((await call(tenant, "DELETE", `/apis/${api.id}/scopes/${encodeURIComponent("read/things")}`, { token })).status, 204);
    assert.equal((await call(tenant, "DELETE", `/apis/${api.id}/scopes/nope`, { token })).status, 404);
    assert.deepEqual((await call(tenant, "GET", `/apis/${api.id}/scopes`, { token })).body, []);
  });
});

describe("grants", () => {
  let tenant: Tenant;
  let client: Client;
  let token: string;
  before(async () => ({ tenant, client, token } = await adminSession("grants")));

  it("create by api_id or audience, filter, update scopes, delete; 409 for a second grant", async () => {
    const api = (
      await call(tenant, "POST", "/apis", {
        token,
        body: { name: "Pay", identifier: "https://pay.example.com", scopes: [{ name: "charge" }, { name: "refund" }] },
      })
    ).body;
    const app = (await call(tenant, "POST", "/applications", { token, body: { name: "Shop" } })).body;

    const created = await call(tenant, "POST", "/grants", { token, body: { application_id: app.id, audience: "https://pay.example.com", scopes: ["charge"] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const grant = created.body;
    assert.deepEqual([grant.application_id, grant.api_id, grant.scopes, grant.expires_at], [app.id, api.id, ["charge"], null]);
    assert.equal(grant.application.client_id, app.client_id);

    const dup = await call(tenant, "POST", "/grants", { token, body: { application_id: app.id, api_id: api.id, scopes: [] } });
    assert.equal(dup.status, 409);
    const unknownScope = await call(tenant, "POST", "/grants", { token, body: { application_id: app.id, api_id: tenant.managementApiId, scopes: ["charge"] } });
    assert.equal(unknownScope.status, 422);
    assert.ok(unknownScope.body.error.details.scopes);
    const both = await call(tenant, "POST", "/grants", { token, body: { application_id: app.id, api_id: api.id, audience: "x", scopes: [] } });
    assert.equal(both.status, 422);
    assert.equal((await call(tenant, "POST", "/grants", { token, body: { application_id: "nope", api_id: api.id, scopes: [] } })).status, 404);

    const mgmtGrant = await call(tenant, "POST", "/grants", { token, body: { application_id: app.id, audience: tenant.issuer, scopes: ["read:users"] } });
    assert.equal(mgmtGrant.status, 201);
    assert.equal(mgmtGrant.body.api.identifier, tenant.issuer);

    const byApp = await call(tenant, "GET", `/grants?application_id=${app.id}`, { token });
    assert.equal(byApp.body.length, 2);
    const byAudience = await call(tenant, "GET", `/grants?audience=${encodeURIComponent("https://pay.example.com")}`, { token });
    assert.deepEqual(
      byAudience.body.map((g: { id: string }) => g.id),
      [grant.id],
    );
    const mgmtHolders = await call(tenant, "GET", `/grants?audience=${encodeURIComponent(tenant.issuer)}`, { token });
    assert.deepEqual(mgmtHolders.body.map((g: { application_id: string }) => g.application_id).sort(), [app.id, client.id].sort());
    assert.deepEqual((await call(tenant, "GET", "/grants?audience=https://unknown.example.com", { token })).body, []);
    assert.equal((await call(tenant, "GET", `/grants/${grant.id}`, { token })).body.id, grant.id);

    const expires = new Date(Date.now() + 3600_000).toISOString();
    const updated = await call(tenant, "PATCH", `/grants/${grant.id}`, {
      token,
      body: { scopes: ["charge", "refund"], expires_at: expires, quota_per_day: 1000 },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual([updated.body.scopes, updated.body.expires_at, updated.body.quota_per_day], [["charge", "refund"], expires, 1000]);
    const keepScopes = await call(tenant, "PATCH", `/grants/${grant.id}`, { token, body: { expires_at: null } });
    assert.deepEqual([keepScopes.body.scopes, keepScopes.body.expires_at], [["charge", "refund"], null]);

    const audit = (await call(tenant, "GET", `/logs?action=grant.update`, { token })).body;
    const scopesChange = audit.find((e: { after: { scopes: string[] }; before: { scopes: string[] } }) => e.before.scopes.length === 1);
    assert.deepEqual([scopesChange.before.scopes, scopesChange.after.scopes], [["charge"], ["charge", "refund"]]);

    assert.equal((await call(tenant, "DELETE", `/grants/${grant.id}`, { token })).status, 204);
    assert.equal((await call(tenant, "GET", `/grants/${grant.id}`, { token })).status, 404);
    assert.equal((await call(tenant, "GET", `/applications/${app.id}/grants`, { token })).body.length, 1);
  });
});
