// Every token request of the three integration guides Grantry serves (AuthAction,
// a generic identity product, Auth0), verbatim but for
// host and credentials, against /oauth/token and /oauth/m2m/token, for the
// default tenant (at the root) and a /t/{slug} tenant; then the token is used
// on the reference resource server, as each guide's "call your API" step does.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createRemoteJWKSet, jwtVerify } from "jose";
import {
  defaultTenant,
  managementApi,
  seedApi,
  seedApplication,
  seedGrant,
  seedTenant,
  type SeededApi,
  type SeededApp,
  type SeededTenant,
} from "../helpers/seed";
import { runAxiosSnippet } from "../helpers/axios-snippet";
import { assertTokenResponse, serverUrl, startResourceServer, untilServed } from "./support";
import { db } from "@/lib/db";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

const exec = promisify(execFile);

/** Runs a shell command as a user would paste it, returning curl's stdout. */
async function shell(command: string): Promise<string> {
  const { stdout } = await exec("bash", ["-c", command], { timeout: 20_000 });
  return stdout;
}

const TOKEN_PATHS = ["/oauth/token", "/oauth/m2m/token"] as const;

type Setup = { tenant: SeededTenant; app: SeededApp; api: SeededApi };
const setups: Record<"default" | "slug", Setup> = {} as never;
let api: { url: string; stop: () => void }[] = [];

before(async () => {
  for (const [key, tenant] of [
    ["default", await defaultTenant()],
    ["slug", await seedTenant()],
  ] as const) {
    const app = await seedApplication(tenant.id, "Seed client");
    const custom = await seedApi(tenant.id, { scopes: ["read:things"] });
    await seedGrant(tenant.id, app.id, custom);
    await seedGrant(tenant.id, app.id, await managementApi(tenant.id), ["read:users", "read:applications"]);
    setups[key] = { tenant, app, api: custom };
    await untilServed(tenant, app, custom.identifier);
  }
});

after(() => api.forEach((s) => s.stop()));

for (const key of ["default", "slug"] as const) {
  for (const path of TOKEN_PATHS) {
    describe(`${key} tenant, POST ${path}`, () => {
      it("seed 000 (AuthAction): curl with a multi-line JSON body, audience = the tenant's URL", async () => {
        const { tenant, app } = setups[key];
        const url = serverUrl(tenant.issuer + path);
        const out = await shell(`curl --request POST \\
--url ${url} \\
--header 'content-type: application/json' \\
--data '{
"client_id": "${app.clientId}",
"client_secret": "${app.clientSecret}",
"audience": "${tenant.issuer}",
"grant_type": "client_credentials"
}'`);
        const res = {
          status: 200,
          headers: new Headers({ "cache-control": "no-store", pragma: "no-cache" }),
          body: JSON.parse(out) as Record<string, unknown>,
        };
        assertTokenResponse(res, { issuer: tenant.issuer, audience: tenant.issuer, clientId: app.clientId, scope: "read:applications read:users" });
      });

      it("seed 000 (AuthAction): the axios snippet, run as written in a node process of its own", async () => {
        const { tenant, app } = setups[key];
        const token = await runAxiosSnippet(serverUrl(tenant.issuer + path), tenant.issuer, app.clientId, app.clientSecret);
        const jwks = createRemoteJWKSet(new URL(serverUrl(`${tenant.issuer}/.well-known/jwks.json`)));
        const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: tenant.issuer, audience: tenant.issuer, typ: "at+jwt" });
        assert.equal(protectedHeader.typ, "at+jwt");
        assert.equal(payload.client_id, app.clientId);
        assert.equal(payload.scope, "read:applications read:users");
      });

      it("seed 001: curl with a compact JSON body, then the API call", async () => {
        const { tenant, app, api: custom } = setups[key];
        // The guide's --data line is cut off after "grant_type":"; its placeholders are JSON strings.
        const out = await shell(`curl --request POST \\
--url ${serverUrl(tenant.issuer + path)} \\
--header 'content-type: application/json' \\
--data '{"client_id":"${app.clientId}","client_secret":"${app.clientSecret}","audience":"${custom.identifier}","grant_type":"client_credentials"}'`);
        const body = JSON.parse(out) as { access_token: string; token_type: string };
        assert.equal(body.token_type, "Bearer");
        const server = await resourceServer(tenant, custom);
        const status = await shell(`curl --silent --output /dev/null --write-out '%{http_code}' --request GET \\
--url ${server.url}/things \\
--header 'authorization: Bearer ${body.access_token}'`);
        assert.equal(status, "200");
      });

      it("seed 002 (Auth0): curl, expires_in 86400, then the API call with its headers", async () => {
        const { tenant, app, api: custom } = setups[key];
        const out = await shell(`curl --request POST \\
  --url '${serverUrl(tenant.issuer + path)}' \\
  --header 'content-type: application/json' \\
  --data '{"grant_type":"client_credentials","client_id": "${app.clientId}","client_secret": "${app.clientSecret}","audience": "${custom.identifier}"}'`);
        const body = JSON.parse(out) as Record<string, unknown>;
        const res = { status: 200, headers: new Headers({ "cache-control": "no-store", pragma: "no-cache" }), body };
        assertTokenResponse(res, { issuer: tenant.issuer, audience: custom.identifier, clientId: app.clientId, scope: "read:things", expiresIn: 86400 });
        const server = await resourceServer(tenant, custom);
        const status = await shell(`curl --silent --output /dev/null --write-out '%{http_code}' --request GET \\
  --url ${server.url}/api \\
  --header 'authorization: Bearer ${body.access_token as string}' \\
  --header 'content-type: application/json'`);
        assert.equal(status, "200");
      });

      it("seed 002 (Auth0): the C#, Go, Java, jQuery, PHP, Python, Ruby string body and the Node/Obj-C/Swift serialized body", async () => {
        const { tenant, app, api: custom } = setups[key];
        const literal = `{"grant_type":"client_credentials","client_id": "${app.clientId}","client_secret": "${app.clientSecret}","audience": "${custom.identifier}"}`;
        const serialized = JSON.stringify({
          grant_type: "client_credentials",
          client_id: app.clientId,
          client_secret: app.clientSecret,
          audience: custom.identifier,
        });
        for (const body of [literal, serialized]) {
          const response = await fetch(serverUrl(tenant.issuer + path), { method: "POST", headers: { "content-type": "application/json" }, body });
          const res = { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
          assertTokenResponse(res, { issuer: tenant.issuer, audience: custom.identifier, clientId: app.clientId });
        }
      });
    });
  }
}

const servers = new Map<string, Promise<{ url: string; stop: () => void }>>();
function resourceServer(tenant: SeededTenant, custom: SeededApi) {
  let server = servers.get(tenant.id);
  if (!server) {
    server = startResourceServer({ ISSUER: tenant.issuer, AUDIENCE: custom.identifier, REQUIRED_SCOPE: "read:things" });
    servers.set(tenant.id, server);
    void server.then((s) => (api = [...api, s]));
  }
  return server;
}
