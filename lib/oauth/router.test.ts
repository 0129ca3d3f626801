import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

// Routing is pure configuration: no database is reached by anything below.
process.env.GRANTRY_URL = "https://auth.example.com";
delete process.env.GRANTRY_TENANT_DOMAIN;
delete process.env.DATABASE_URL;
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();
const { handleProtocolRequest, locate } = await import("./router");
const isProtocolPath = (path: string) => locate(path, {}) !== null;

describe("locate", () => {
  it("knows every endpoint, at the root and under /t/{slug}", () => {
    for (const path of [
      "/oauth/token",
      "/oauth/m2m/token",
      "/oauth/introspect",
      "/oauth/revoke",
      "/.well-known/jwks.json",
      "/.well-known/openid-configuration",
      "/.well-known/oauth-authorization-server",
    ]) {
      assert.equal(isProtocolPath(path), true, path);
      assert.equal(isProtocolPath(`/t/acme${path}`), true, path);
    }
  });
  it("knows the RFC 8414 §3.1 placement of a /t/{slug} tenant's metadata", () => {
    assert.equal(isProtocolPath("/.well-known/oauth-authorization-server/t/acme"), true);
  });
  it("leaves everything else to Next", () => {
    for (const path of [
      "/",
      "/api/v1/users",
      "/oauth/token/",
      "/oauth",
      "/t/acme",
      "/t/acme/applications",
      "/.well-known/other",
      "/t/%ZZ/oauth/token",
      "/t/default/oauth/token",
    ]) {
      assert.equal(isProtocolPath(path), false, path);
    }
  });
});

describe("handleProtocolRequest without a database", () => {
  before(() => resetEnvCache());
  const call = (method: string, path: string) => handleProtocolRequest({ method, path, headers: {}, body: "" });

  it("answers 404 JSON for what is not an endpoint", async () => {
    const res = await call("POST", "/oauth/nothing");
    assert.equal(res.status, 404);
    assert.equal(JSON.parse(res.body).error, "not_found");
  });
  it("answers 405 with Allow for a wrong method", async () => {
    assert.equal((await call("GET", "/oauth/token")).headers["Allow"], "POST");
    assert.equal((await call("DELETE", "/.well-known/jwks.json")).headers["Allow"], "GET, HEAD");
  });
  it("answers a CORS preflight on every endpoint, before any tenant lookup", async () => {
    const token = await call("OPTIONS", "/t/acme/oauth/token");
    assert.equal(token.status, 204);
    assert.equal(token.body, "");
    assert.deepEqual(token.headers, {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "POST",
      "Access-Control-Allow-Headers": "content-type, authorization, dpop",
      "Access-Control-Max-Age": "86400",
    });
    assert.equal((await call("OPTIONS", "/.well-known/jwks.json")).headers["Access-Control-Allow-Methods"], "GET, HEAD");
    assert.equal((await call("OPTIONS", "/oauth/nothing")).status, 404);
  });
  it("lets any origin read its errors, never with credentials", async () => {
    const res = await call("GET", "/oauth/token");
    assert.equal(res.headers["Access-Control-Allow-Origin"], "*");
    assert.equal(res.headers["Access-Control-Allow-Credentials"], undefined);
  });
  it("answers 404 for a slug that cannot be a tenant", async () => {
    assert.equal((await call("POST", "/t/x/oauth/token")).status, 404);
    assert.equal((await call("POST", "/t/UPPER-case/oauth/token")).status, 404);
  });
});

describe("locate with GRANTRY_TENANT_DOMAIN", () => {
  before(() => {
    process.env.GRANTRY_TENANT_DOMAIN = "example.com";
    resetEnvCache();
  });
  after(() => {
    delete process.env.GRANTRY_TENANT_DOMAIN;
    resetEnvCache();
  });
  const at = (host: string, path: string) => locate(path, { host });
  it("serves a host tenant at its host only, not under /t/{slug}: one issuer per tenant", () => {
    assert.equal(at("acme.example.com", "/oauth/token")?.route.issuer, "https://acme.example.com");
    assert.equal(at("auth.example.com", "/t/acme/oauth/token"), null);
    assert.equal(at("acme.example.com", "/t/acme/oauth/token"), null);
  });
  it("serves the default tenant at GRANTRY_URL's host and refuses it at {default}.{domain}", () => {
    assert.equal(at("auth.example.com", "/.well-known/openid-configuration")?.route.issuer, "https://auth.example.com");
    assert.equal(at("default.example.com", "/.well-known/openid-configuration"), null);
  });
});
