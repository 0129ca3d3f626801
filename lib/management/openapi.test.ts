import assert from "node:assert/strict";
import { test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { MANAGEMENT_SCOPES } from "@/lib/domain/management-api";
import { buildOpenApiDocument } from "./openapi";
import { routes } from "./routes";

const issuer = "https://auth.example.com/t/acme";
const doc = buildOpenApiDocument(routes, issuer) as {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, { security: Array<Record<string, string[]>>; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { flows?: { clientCredentials: { tokenUrl: string; scopes: object } } }> };
};

test("the document is valid OpenAPI 3.1", async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc));
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.equal(validator.version, "3.1");
});

test("every route of the table is documented with its scope", () => {
  for (const route of routes) {
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];
    assert.ok(op, `${route.method} ${route.path} is missing`);
    if (route.scope) assert.deepEqual(op.security, [{ oauth2: [route.scope] }, { bearerAuth: [route.scope] }]);
    else assert.deepEqual(op.security, []);
  }
  const documented = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  assert.equal(documented, routes.length);
});

test("every Management API scope guards at least one route, and routes use no other", () => {
  const used = new Set(routes.map((r) => r.scope).filter(Boolean));
  assert.deepEqual([...used].sort(), MANAGEMENT_SCOPES.map((s) => s.name).sort());
});

test("the tenant's URLs and the bearer scheme are in the document", () => {
  assert.equal(doc.openapi, "3.1.0");
  assert.deepEqual(doc.servers, [{ url: `${issuer}/api/v1` }]);
  assert.equal(doc.components.securitySchemes.oauth2!.flows!.clientCredentials.tokenUrl, `${issuer}/oauth/token`);
  assert.ok(doc.components.securitySchemes.bearerAuth);
  for (const name of ["Application", "Api", "Grant", "User", "SigningKey", "AuditEvent", "TokenStats", "Error"]) assert.ok(doc.components.schemas[name], name);
});

test("operation ids are unique", () => {
  const ids = routes.map((r) => r.operationId);
  assert.equal(new Set(ids).size, ids.length);
});
