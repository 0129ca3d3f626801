// {issuer}/api/v1/openapi.json: public, valid OpenAPI 3.1, every route of the
// route table in it with its scope, and the tenant's own URLs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { db } from "@/lib/db";
import { routes } from "@/lib/management/routes";
import { call, defaultTenant, seedTenant, serverUrl, type Json, type Tenant } from "./support";

after(() => db.$disconnect());

describe("the OpenAPI document", () => {
  let tenant: Tenant;
  let doc: Json;
  before(async () => {
    tenant = await seedTenant("openapi");
    const res = await call(tenant, "GET", "/openapi.json");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    doc = res.body;
  });

  it("needs no token and validates against the OpenAPI 3.1 schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(validator.version, "3.1");
  });

  it("describes every route of the route table, its scope and the bearer scheme", () => {
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      assert.ok(op, `${route.method} ${route.path} is not documented`);
      if (route.scope) {
        assert.deepEqual(op.security, [{ oauth2: [route.scope] }, { bearerAuth: [route.scope] }]);
        assert.ok(op.responses["401"] && op.responses["403"], `${route.operationId} documents 401 and 403`);
        assert.match(op.description, new RegExp(`\`${route.scope}\``));
      }
      for (const name of route.path.match(/\{(\w+)\}/g) ?? []) {
        assert.ok(
          op.parameters.some((p: { in: string; name: string }) => p.in === "path" && `{${p.name}}` === name),
          `${route.operationId} documents ${name}`,
        );
      }
    }
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: doc.components.securitySchemes.bearerAuth.description,
    });
  });

  it("names this tenant's server and token URL", async () => {
    assert.deepEqual(doc.servers, [{ url: `${tenant.issuer}/api/v1` }]);
    assert.equal(doc.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl, `${tenant.issuer}/oauth/token`);
    const root = await defaultTenant();
    const rootDoc = await fetch(serverUrl(`${root.issuer}/api/v1/openapi.json`)).then((r) => r.json());
    assert.deepEqual(rootDoc.servers, [{ url: `${root.issuer}/api/v1` }]);
  });

  it("an unknown tenant's document is 404", async () => {
    const res = await call({ issuer: `${tenant.issuer}-nope` }, "GET", "/openapi.json");
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "not_found");
  });
});
