// Requests that race each other: a row deleted by one request while another
// changes or deletes it is a 404 for the loser, never a 500, and never comes
// back; two creates of the same grant give one 201 and 409s.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, call, type Tenant } from "./support";

after(() => db.$disconnect());

const PARALLEL = 6;

describe("concurrent changes", () => {
  let tenant: Tenant;
  let token: string;

  before(async () => {
    ({ tenant, token } = await adminSession("race"));
  });

  const create = async (path: string, body: object): Promise<string> => {
    const res = await call(tenant, "POST", path, { token, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  const statuses = (calls: Promise<{ status: number }>[]) => Promise.all(calls).then((r) => r.map((x) => x.status).sort());
  const api = (n: string) =>
    create("/apis", { name: `Race ${n}`, identifier: `https://race-${n}-${Date.now()}.example.com`, scopes: [{ name: "read:x" }, { name: "write:x" }] });

  it("parallel deletes of one row: one 204, the rest 404", async () => {
    const app = await create("/applications", { name: "Deleted in parallel" });
    const apiId = await api("delete");
    const grantApp = await create("/applications", { name: "Granted" });
    const grant = await create("/grants", { application_id: grantApp, api_id: apiId, scopes: ["read:x"] });
    for (const path of [`/applications/${app}`, `/grants/${grant}`, `/apis/${apiId}/scopes/read:x`, `/apis/${apiId}`]) {
      const got = await statuses(Array.from({ length: PARALLEL }, () => call(tenant, "DELETE", path, { token })));
      assert.deepEqual(got, [204, ...Array(PARALLEL - 1).fill(404)], `DELETE ${path}: ${got.join(", ")}`);
    }
  });

  it("a grant changed while it is deleted stays deleted", async () => {
    const apiId = await api("patch");
    const app = await create("/applications", { name: "Patched while deleted" });
    for (let round = 0; round < 8; round++) {
      const grant = await create("/grants", { application_id: app, api_id: apiId, scopes: ["read:x"] });
      const [patch, del] = await Promise.all([
        call(tenant, "PATCH", `/grants/${grant}`, { token, body: { scopes: ["read:x", "write:x"], quota_per_day: 10 } }),
        call(tenant, "DELETE", `/grants/${grant}`, { token }),
      ]);
      assert.equal(del.status, 204, JSON.stringify(del.body));
      assert.ok([200, 404].includes(patch.status), `PATCH: ${patch.status} ${JSON.stringify(patch.body)}`);
      assert.equal(await db.grant.count({ where: { applicationId: app, apiId } }), 0, `round ${round}: the deleted grant came back`);
    }
  });

  it("parallel creates of one grant: one 201, the rest 409", async () => {
    const apiId = await api("create");
    const app = await create("/applications", { name: "Granted in parallel" });
    const replies = await Promise.all(
      Array.from({ length: PARALLEL }, () => call(tenant, "POST", "/grants", { token, body: { application_id: app, api_id: apiId, scopes: ["read:x"] } })),
    );
    assert.deepEqual(replies.map((r) => r.status).sort(), [201, ...Array(PARALLEL - 1).fill(409)], JSON.stringify(replies.map((r) => r.body)));
    const created = replies.find((r) => r.status === 201)!.body.id as string;
    const events = await db.auditEvent.findMany({ where: { tenantId: tenant.id, targetId: created } });
    assert.deepEqual(
      events.map((e) => e.action),
      ["grant.create"],
      "one audit event, for the one create",
    );
  });
});
