import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

// Resolution is pure configuration: no database is reached by anything below.
delete process.env.DATABASE_URL;
const { resetEnvCache } = await import("./env");
const { issuerFor, resolveTenantRoute } = await import("./tenancy");

function configure(vars: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries({
    GRANTRY_URL: "https://auth.example.com",
    GRANTRY_DEFAULT_TENANT: undefined,
    GRANTRY_TENANT_DOMAIN: undefined,
    GRANTRY_TRUST_PROXY: undefined,
    ...vars,
  })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
}

const at = (host: string, path = "/oauth/token", extra: Record<string, string> = {}) => resolveTenantRoute({ path, headers: { host, ...extra } });

describe("path tenancy (no GRANTRY_TENANT_DOMAIN)", () => {
  beforeEach(() => configure({}));
  it("serves the default tenant at the root and the others under /t/{slug}", () => {
    assert.deepEqual(at("auth.example.com"), { slug: "default", issuer: "https://auth.example.com", path: "/oauth/token" });
    assert.deepEqual(at("auth.example.com", "/t/acme/oauth/token"), { slug: "acme", issuer: "https://auth.example.com/t/acme", path: "/oauth/token" });
  });
  it("ignores the host and X-Forwarded-Host", () => {
    assert.equal(at("acme.example.com", "/oauth/token", { "x-forwarded-host": "other.example.com" })?.slug, "default");
  });
});

describe("host tenancy (GRANTRY_TENANT_DOMAIN=example.com)", () => {
  beforeEach(() => configure({ GRANTRY_TENANT_DOMAIN: "example.com" }));
  it("serves {slug}.{domain} with issuer https://{slug}.{domain}, port and case ignored", () => {
    assert.deepEqual(at("Acme.Example.com:8443"), { slug: "acme", issuer: "https://acme.example.com", path: "/oauth/token" });
    assert.equal(issuerFor("acme"), "https://acme.example.com");
  });
  it("serves the default tenant at GRANTRY_URL's host, even though it is under the tenant domain", () => {
    assert.deepEqual(at("auth.example.com", "/.well-known/jwks.json"), { slug: "default", issuer: "https://auth.example.com", path: "/.well-known/jwks.json" });
    assert.equal(issuerFor("default"), "https://auth.example.com");
  });
  it("refuses the default tenant's slug as a host: its one issuer is GRANTRY_URL", () => {
    assert.equal(at("default.example.com"), null);
  });
  it("falls back to paths for a host outside the domain (direct access by address)", () => {
    assert.deepEqual(at("127.0.0.1:3000", "/t/acme/oauth/token"), { slug: "acme", issuer: "https://acme.example.com", path: "/oauth/token" });
    assert.equal(at("example.com")?.slug, "default");
  });
  it("ignores X-Forwarded-Host and X-Forwarded-Proto without GRANTRY_TRUST_PROXY", () => {
    assert.deepEqual(at("auth.example.com", "/oauth/token", { "x-forwarded-host": "acme.example.com", "x-forwarded-proto": "http" })?.slug, "default");
    assert.equal(at("acme.example.com", "/oauth/token", { "x-forwarded-proto": "http" })?.issuer, "https://acme.example.com");
  });
});

describe("host tenancy behind a trusted proxy (GRANTRY_TRUST_PROXY=1)", () => {
  beforeEach(() => configure({ GRANTRY_TENANT_DOMAIN: "example.com", GRANTRY_TRUST_PROXY: "1" }));
  it("takes the first X-Forwarded-Host over Host", () => {
    assert.deepEqual(at("127.0.0.1:3000", "/oauth/token", { "x-forwarded-host": "acme.example.com, proxy.internal" }), {
      slug: "acme",
      issuer: "https://acme.example.com",
      path: "/oauth/token",
    });
    assert.equal(at("acme.example.com", "/oauth/token", { "x-forwarded-host": "auth.example.com" })?.slug, "default");
  });
  it("uses Host when no X-Forwarded-Host came", () => {
    assert.equal(at("beta.example.com")?.slug, "beta");
  });
  it("names the scheme X-Forwarded-Proto gives (http or https), https otherwise", () => {
    assert.equal(at("acme.example.com", "/oauth/token", { "x-forwarded-proto": "http" })?.issuer, "http://acme.example.com");
    assert.equal(at("acme.example.com", "/oauth/token", { "x-forwarded-proto": "HTTPS" })?.issuer, "https://acme.example.com");
    assert.equal(at("acme.example.com", "/oauth/token", { "x-forwarded-proto": "gopher" })?.issuer, "https://acme.example.com");
  });
  it("keeps GRANTRY_URL as the default tenant's issuer whatever the proxy says", () => {
    assert.equal(at("auth.example.com", "/oauth/token", { "x-forwarded-proto": "http" })?.issuer, "https://auth.example.com");
  });
});
