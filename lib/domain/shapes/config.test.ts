// The JSON Schema of tenant files: the committed copy is the generated one,
// and it is a schema a standard validator compiles and applies as the server does.
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import { tenantConfigJsonSchema, tenantConfigSchema } from "./config";

const committed = JSON.parse(fs.readFileSync("schemas/tenant.v1.json", "utf8")) as object;

describe("schemas/tenant.v1.json", () => {
  it("is what the zod schema generates (run `npm run schema` after changing the format)", () => {
    assert.deepEqual(committed, tenantConfigJsonSchema());
  });

  it("accepts what the server accepts and refuses unknown fields, as the server does", () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(committed);
    const good = {
      apiVersion: "grantry/v1",
      kind: "Tenant",
      tenant: { name: "Acme" },
      apis: [{ identifier: "https://orders.example.com", name: "Orders", scopes: [{ name: "read:orders" }] }],
      applications: [{ key: "billing", name: "Billing", quota_per_hour: null }],
      grants: [{ application: "billing", api: "https://orders.example.com", scopes: ["read:orders"], expires_at: "2031-01-01T00:00:00Z" }],
    };
    assert.equal(validate(good), true, JSON.stringify(validate.errors));
    assert.equal(tenantConfigSchema.safeParse(good).success, true);
    for (const bad of [
      { ...good, colour: "red" },
      { ...good, applications: [{ key: "billing", name: "Billing", secret: "x" }] },
      { ...good, applications: [{ key: "Not A Key", name: "Billing" }] },
      { ...good, apiVersion: "grantry/v2" },
      { ...good, grants: [{ application: "billing", api: "https://orders.example.com" }] },
    ]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
      assert.equal(tenantConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
