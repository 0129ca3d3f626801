// The JSON Schema of tenant files: the committed copy is the generated one,
// and it is a schema a standard validator compiles and applies as the server
// does; the file's entries are the operations' own input schemas.
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import type { z } from "zod";
import { addScopeInput, createApiInput } from "./apis";
import { createApplicationInput, updateApplicationInput } from "./applications";
import { configApiEntry, configApplicationEntry, configGrantEntry, tenantConfigJsonSchema, tenantConfigSchema } from "./config";
import { createGrantInput, updateGrantInput } from "./grants";
import { updateTenantInput } from "./tenant";

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

describe("the file's entries", () => {
  // One schema per operation: a field's rules live in the operation's input and the file uses that very schema
  // (describe() copies a schema with the same definition, so that is what is compared).
  const same = (a: z.ZodType, b: z.ZodType, what: string) => assert.equal(a._zod.def, b._zod.def, what);

  it("are the operations' own input schemas, with the keys that match entries to objects", () => {
    for (const field of ["name", "identifier", "token_lifetime", "signing_alg"] as const)
      same(configApiEntry.shape[field], createApiInput.shape[field], `apis[].${field}`);
    same(configApiEntry.shape.scopes.unwrap().element, addScopeInput, "apis[].scopes[]");
    for (const field of ["description", "enabled", "quota_per_hour", "quota_per_day", "quota_mode"] as const)
      same(configApplicationEntry.shape[field], updateApplicationInput.shape[field], `applications[].${field}`);
    same(configApplicationEntry.shape.name, createApplicationInput.shape.name, "applications[].name: required, as on create");
    same(configApplicationEntry.shape.key, createApplicationInput.shape.key.unwrap(), "applications[].key: required");
    for (const field of ["quota_per_hour", "quota_per_day", "quota_mode"] as const)
      same(configGrantEntry.shape[field], updateGrantInput.shape[field], `grants[].${field}`);
    same(configGrantEntry.shape.scopes, createGrantInput.shape.scopes, "grants[].scopes");
    same(configGrantEntry.shape.application, createApplicationInput.shape.key.unwrap(), "grants[].application: an application's key");
    same(tenantConfigSchema.shape.tenant.unwrap(), updateTenantInput, "tenant");
  });
});
