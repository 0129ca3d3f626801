// Host-based tenancy (GRANTRY_TENANT_DOMAIN) over real HTTP, on servers of its
// own beside the suite's database: tenants at https://{slug}.{domain}, the
// default tenant at GRANTRY_URL's host (itself under the domain here), and
// X-Forwarded-Host / X-Forwarded-Proto honoured only with GRANTRY_TRUST_PROXY=1.
// The two servers use opposite adapters (the suite's, and the other one), so
// every run covers the native fast path and Next's route handlers.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { startServer, type TestServer } from "../../harness/server";
import { defaultTenant, seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp } from "../helpers/seed";
import { db } from "@/lib/db";

const DOMAIN = "grantry.test";
const ROOT = `https://auth.${DOMAIN}`;
const suiteFastPath = process.env.GRANTRY_TEST_FAST_PATH !== "0";

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };

/** node:http, not fetch: fetch will not send a Host header of our choosing. */
function call(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  const url = new URL(path, server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method, headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

type Client = { app: SeededApp; api: SeededApi; slug: string };
const seedBody = ({ app, api }: Client) => ({
  client_id: app.clientId,
  client_secret: app.clientSecret,
  audience: api.identifier,
  grant_type: "client_credentials",
});

let direct: TestServer;
let proxied: TestServer;
let hosted: Client;
let root: Client;

async function client(tenantId: string, slug: string): Promise<Client> {
  const app = await seedApplication(tenantId, "Host tenancy client");
  const api = await seedApi(tenantId, { scopes: ["read:things"] });
  await seedGrant(tenantId, app.id, api);
  return { app, api, slug };
}

before(async () => {
  // Seeded before the servers start, so their caches load it whole.
  const tenant = await seedTenant();
  hosted = await client(tenant.id, tenant.slug);
  const fallback = await defaultTenant();
  root = await client(fallback.id, fallback.slug);
  const env = { GRANTRY_URL: ROOT, GRANTRY_TENANT_DOMAIN: DOMAIN, GRANTRY_CACHE_TTL_MS: "500" };
  const databaseUrl = process.env.DATABASE_URL!;
  direct = await startServer({ name: "host-direct", databaseUrl, fastPath: suiteFastPath, env: { ...env, GRANTRY_TRUST_PROXY: "0" } });
  proxied = await startServer({ name: "host-proxied", databaseUrl, fastPath: !suiteFastPath, env: { ...env, GRANTRY_TRUST_PROXY: "1" } });
});

after(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
  await db.$disconnect();
});

/** Token, discovery and JWKS at one address: the token's iss, discovery's issuer and the JWKS all agree. */
async function assertServedAs(server: TestServer, headers: Record<string, string>, who: Client, issuer: string) {
  const token = await call(server, "POST", "/oauth/token", headers, seedBody(who));
  assert.equal(token.status, 200, JSON.stringify(token.body));
  const accessToken = token.body.access_token as string;

  const metadata = await call(server, "GET", "/.well-known/oauth-authorization-server", headers);
  assert.equal(metadata.status, 200);
  assert.equal(metadata.body.issuer, issuer);
  assert.equal(metadata.body.token_endpoint, `${issuer}/oauth/token`);
  assert.equal(metadata.body.jwks_uri, `${issuer}/.well-known/jwks.json`);
  assert.equal((await call(server, "GET", "/.well-known/openid-configuration", headers)).body.issuer, issuer);

  const jwks = await call(server, "GET", "/.well-known/jwks.json", headers);
  assert.equal(jwks.status, 200);
  const kids = (jwks.body.keys as { kid: string }[]).map((k) => k.kid);
  assert.ok(kids.includes(decodeProtectedHeader(accessToken).kid!), "the JWKS at the issuer has the token's key");
  const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks.body as unknown as JSONWebKeySet), {
    issuer,
    audience: who.api.identifier,
    typ: "at+jwt",
  });
  assert.equal(payload.client_id, who.app.clientId);
}

describe(`host tenancy, GRANTRY_TRUST_PROXY=0 (${suiteFastPath ? "fast path" : "Next route handlers"})`, () => {
  it("issues a host tenant's token with iss https://{slug}.{domain}, named by its discovery and verified by its JWKS", async () => {
    await assertServedAs(direct, { host: `${hosted.slug}.${DOMAIN}` }, hosted, `https://${hosted.slug}.${DOMAIN}`);
  });
  it("serves the default tenant at GRANTRY_URL's host, though that host is under the tenant domain", async () => {
    await assertServedAs(direct, { host: `auth.${DOMAIN}` }, root, ROOT);
  });
  it("ignores X-Forwarded-Host and X-Forwarded-Proto: the Host header decides", async () => {
    const forged = { host: `auth.${DOMAIN}`, "x-forwarded-host": `${hosted.slug}.${DOMAIN}`, "x-forwarded-proto": "http" };
    assert.equal((await call(direct, "GET", "/.well-known/openid-configuration", forged)).body.issuer, ROOT);
    const token = await call(direct, "POST", "/oauth/token", forged, seedBody(hosted));
    assert.equal(token.status, 401, "the host tenant's client is unknown to the default tenant");
    const tenantHost = { host: `${hosted.slug}.${DOMAIN}`, "x-forwarded-proto": "http" };
    assert.equal((await call(direct, "GET", "/.well-known/openid-configuration", tenantHost)).body.issuer, `https://${hosted.slug}.${DOMAIN}`);
  });
  it("gives each tenant one issuer: no default tenant at default.{domain}, no host tenant under /t/{slug}", async () => {
    const asDefault = await call(direct, "GET", "/.well-known/openid-configuration", { host: `default.${DOMAIN}` });
    assert.equal(asDefault.status, 404);
    assert.equal(asDefault.body.error, "not_found");
    assert.equal((await call(direct, "POST", `/t/${hosted.slug}/oauth/token`, { host: `auth.${DOMAIN}` }, seedBody(hosted))).status, 404);
  });
});

describe(`host tenancy, GRANTRY_TRUST_PROXY=1 (${suiteFastPath ? "Next route handlers" : "fast path"})`, () => {
  it("takes the tenant from X-Forwarded-Host over the proxy's Host", async () => {
    const headers = { host: new URL(proxied.url).host, "x-forwarded-host": `${hosted.slug}.${DOMAIN}`, "x-forwarded-proto": "https" };
    await assertServedAs(proxied, headers, hosted, `https://${hosted.slug}.${DOMAIN}`);
  });
  it("names an http issuer when the proxy says the client used http", async () => {
    const headers = { host: new URL(proxied.url).host, "x-forwarded-host": `${hosted.slug}.${DOMAIN}`, "x-forwarded-proto": "http" };
    await assertServedAs(proxied, headers, hosted, `http://${hosted.slug}.${DOMAIN}`);
  });
  it("serves the default tenant at GRANTRY_URL's forwarded host", async () => {
    await assertServedAs(proxied, { host: "127.0.0.1", "x-forwarded-host": `auth.${DOMAIN}` }, root, ROOT);
  });
});
