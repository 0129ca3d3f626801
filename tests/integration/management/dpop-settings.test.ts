// The two DPoP settings through the Management API: an API's dpop_required
// and an application's, audited, and out of reach of a caller without the
// scope and of another tenant's caller.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, call, mintToken, seedClient, type Tenant } from "./support";

after(() => db.$disconnect());

describe("DPoP settings", () => {
  let tenant: Tenant, token: string;
  let apiId: string, appId: string;
  before(async () => {
    ({ tenant, token } = await adminSession("dpop"));
    const api = await call(tenant, "POST", "/apis", { token, body: { name: "Ledger", identifier: "https://ledger.example.com", dpop_required: true } });
    assert.equal(api.status, 201, JSON.stringify(api.body));
    assert.equal(api.body.dpop_required, true);
    apiId = api.body.id;
    const app = await call(tenant, "POST", "/applications", { token, body: { name: "Ledger writer" } });
    assert.equal(app.body.dpop_required, false);
    appId = app.body.id;
  });

  it("sets both, reads them back, and audits each change", async () => {
    const api = await call(tenant, "PATCH", `/apis/${apiId}`, { token, body: { dpop_required: false } });
    assert.equal(api.status, 200, JSON.stringify(api.body));
    assert.equal(api.body.dpop_required, false);
    assert.equal((await call(tenant, "GET", `/apis/${apiId}`, { token })).body.dpop_required, false);
    const app = await call(tenant, "PATCH", `/applications/${appId}`, { token, body: { dpop_required: true } });
    assert.equal(app.status, 200, JSON.stringify(app.body));
    assert.equal((await call(tenant, "GET", `/applications/${appId}`, { token })).body.dpop_required, true);

    const apiLog = (await call(tenant, "GET", "/logs?action=api.update", { token })).body.find((e: { target: { id: string } }) => e.target.id === apiId);
    assert.equal(apiLog.before.dpopRequired, true);
    assert.equal(apiLog.after.dpopRequired, false);
    const appLog = (await call(tenant, "GET", "/logs?action=application.update", { token })).body.find(
      (e: { target: { id: string } }) => e.target.id === appId,
    );
    assert.deepEqual([appLog.before, appLog.after], [{ dpopRequired: false }, { dpopRequired: true }]);
  });

  it("refuses a value that is not a boolean, naming the field", async () => {
    const res = await call(tenant, "PATCH", `/apis/${apiId}`, { token, body: { dpop_required: "yes" } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "validation_failed");
    assert.ok(res.body.error.details.dpop_required, JSON.stringify(res.body));
    const app = await call(tenant, "PATCH", `/applications/${appId}`, { token, body: { dpop_required: 1 } });
    assert.equal(app.status, 422);
    assert.ok(app.body.error.details.dpop_required, JSON.stringify(app.body));
  });

  it("refuses a caller without the update scopes", async () => {
    const reader = await seedClient(tenant, ["read:apis", "read:applications"], "Reader");
    const readOnly = await mintToken(tenant, reader, { scope: "read:apis read:applications" });
    assert.equal((await call(tenant, "PATCH", `/apis/${apiId}`, { token: readOnly, body: { dpop_required: true } })).status, 403);
    assert.equal((await call(tenant, "PATCH", `/applications/${appId}`, { token: readOnly, body: { dpop_required: false } })).status, 403);
    assert.equal((await call(tenant, "GET", `/applications/${appId}`, { token })).body.dpop_required, true);
  });

  it("another tenant's admin cannot see or change them", async () => {
    const other = await adminSession("dpop-other");
    assert.equal((await call(other.tenant, "PATCH", `/apis/${apiId}`, { token: other.token, body: { dpop_required: true } })).status, 404);
    assert.equal((await call(other.tenant, "PATCH", `/applications/${appId}`, { token: other.token, body: { dpop_required: false } })).status, 404);
    // Its own token at this tenant's address is refused outright.
    assert.equal((await call(tenant, "PATCH", `/apis/${apiId}`, { token: other.token, body: { dpop_required: true } })).status, 401);
    assert.equal((await call(tenant, "GET", `/apis/${apiId}`, { token })).body.dpop_required, false);
  });
});
