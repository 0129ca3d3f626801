// Seed 000's Step 4 as a script would do it, entirely through the Management
// API with a token from the real token endpoint: create an API with scopes,
// an application and a grant; rotate the application's secret with no
// downtime; read the audit trail of it all.
import assert from "node:assert/strict";
import { after, it } from "node:test";
import { db } from "@/lib/db";
import { call, requestToken, seedClient, seedTenant, serverUrl } from "./support";

after(() => db.$disconnect());

async function tokenFor(tokenUrl: string, clientId: string, clientSecret: string, audience: string) {
  const res = await fetch(serverUrl(tokenUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: clientId, client_secret: clientSecret, audience, grant_type: "client_credentials" }),
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; error?: string; scope?: string } };
}

it("a script manages the tenant end to end", async () => {
  const tenant = await seedTenant("script");
  const admin = await seedClient(tenant);
  const token = await requestToken(tenant, admin);
  const tokenUrl = `${tenant.issuer}/oauth/token`;

  const api = await call(tenant, "POST", "/apis", {
    token,
    body: { name: "Inventory", identifier: "https://inventory.example.com/", scopes: [{ name: "read:stock" }, { name: "write:stock" }] },
  });
  assert.equal(api.status, 201, JSON.stringify(api.body));
  const app = await call(tenant, "POST", "/applications", { token, body: { name: "Warehouse sync" } });
  assert.equal(app.status, 201);
  const grant = await call(tenant, "POST", "/grants", {
    token,
    body: { application_id: app.body.id, audience: "https://inventory.example.com/", scopes: ["read:stock"] },
  });
  assert.equal(grant.status, 201, JSON.stringify(grant.body));

  const first = await tokenFor(tokenUrl, app.body.client_id, app.body.client_secret, "https://inventory.example.com/");
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.scope, "read:stock");

  // Rotation with no downtime: add a secret, switch to it, revoke the old one.
  const next = await call(tenant, "POST", `/applications/${app.body.id}/secrets`, { token, body: {} });
  assert.equal(next.status, 201);
  assert.equal((await tokenFor(tokenUrl, app.body.client_id, next.body.client_secret, "https://inventory.example.com/")).status, 200);
  assert.equal(
    (await tokenFor(tokenUrl, app.body.client_id, app.body.client_secret, "https://inventory.example.com/")).status,
    200,
    "the old secret still works until revoked",
  );
  assert.equal((await call(tenant, "DELETE", `/applications/${app.body.id}/secrets/${app.body.secret.id}`, { token })).status, 204);
  const old = await tokenFor(tokenUrl, app.body.client_id, app.body.client_secret, "https://inventory.example.com/");
  assert.equal(old.status, 401);
  assert.equal(old.body.error, "invalid_client");

  const logs = await call(tenant, "GET", `/logs?actor=${admin.clientId}`, { token });
  assert.equal(logs.status, 200);
  assert.deepEqual(
    logs.body.map((e: { action: string }) => e.action),
    ["secret.revoke", "secret.create", "grant.create", "application.create", "api.create"],
  );
  for (const event of logs.body) assert.deepEqual(event.actor, { type: "client", id: admin.clientId, label: admin.name });
  assert.doesNotMatch(JSON.stringify(logs.body), new RegExp(`${app.body.client_secret}|${next.body.client_secret}`));
});
