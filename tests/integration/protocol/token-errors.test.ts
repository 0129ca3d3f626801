// One test per error of the token endpoint's matrix (docs/getting-tokens.md
// lists them), each with its exact status and body.
// @see RFC 6749 §5.2, RFC 8707 §2
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { updateApplication } from "@/lib/domain/applications";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import {
  expireGrant,
  managementApi,
  seedApi,
  seedApplication,
  seedGrant,
  seedTenant,
  type SeededApi,
  type SeededApp,
  type SeededTenant,
} from "../helpers/seed";
import { assertOAuthError, basicAuth, postForm, postJson, request, seedBody } from "./support";
import { db } from "@/lib/db";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

let tenant: SeededTenant, app: SeededApp, disabled: SeededApp, granted: SeededApi, ungranted: SeededApi, expired: SeededApi;

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id);
  disabled = await seedApplication(tenant.id, "Disabled app");
  granted = await seedApi(tenant.id, { name: "Reports API", scopes: ["read:reports", "write:reports"] });
  ungranted = await seedApi(tenant.id, { name: "Billing API" });
  expired = await seedApi(tenant.id, { name: "Legacy API" });
  await seedGrant(tenant.id, app.id, granted, ["read:reports"]);
  await expireGrant(tenant.id, (await seedGrant(tenant.id, app.id, expired, undefined, new Date(Date.now() + 60_000))).id);
  await seedGrant(tenant.id, disabled.id, granted);
  await updateApplication(tenant.id, disabled.id, { enabled: false }, SYSTEM_ACTOR);
});

const BAD_TYPE = "The request body must be application/json or application/x-www-form-urlencoded";
const AUTH_FAILED = "Client authentication failed";
const token = () => tenant.tokenUrl;
const good = () => seedBody(app, granted.identifier);

describe("invalid_request (400)", () => {
  it("another content type", async () => {
    assertOAuthError(
      await request(token(), { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(good()) }),
      400,
      "invalid_request",
      BAD_TYPE,
    );
  });
  it("no content type", async () => {
    assertOAuthError(await request(token(), { method: "POST", body: new Blob([JSON.stringify(good())]) }), 400, "invalid_request", BAD_TYPE);
  });
  it("malformed JSON", async () => {
    assertOAuthError(
      await request(token(), { method: "POST", headers: { "content-type": "application/json" }, body: '{"grant_type":' }),
      400,
      "invalid_request",
      "The request body is not valid JSON",
    );
  });
  it("JSON that is not an object", async () => {
    assertOAuthError(await postJson(token(), [good()]), 400, "invalid_request", "The request body must be a JSON object");
  });
  it("a parameter that is not a string", async () => {
    assertOAuthError(await postJson(token(), { ...good(), client_id: 42 }), 400, "invalid_request", 'Parameter "client_id" must be a string');
  });
  it("a duplicate form parameter", async () => {
    const body = `${new URLSearchParams(good())}&audience=${encodeURIComponent(granted.identifier)}`;
    assertOAuthError(
      await request(token(), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }),
      400,
      "invalid_request",
      'Parameter "audience" is included more than once',
    );
  });
  it("a duplicate JSON member", async () => {
    const body = JSON.stringify(good()).replace(/}$/, ',"grant_type":"client_credentials"}');
    assertOAuthError(
      await request(token(), { method: "POST", headers: { "content-type": "application/json" }, body }),
      400,
      "invalid_request",
      'Parameter "grant_type" is included more than once',
    );
  });
  it("HTTP Basic and client_secret at once", async () => {
    const res = await postForm(
      token(),
      { grant_type: "client_credentials", audience: granted.identifier, client_secret: app.clientSecret },
      { authorization: basicAuth(app.clientId, app.clientSecret) },
    );
    assertOAuthError(res, 400, "invalid_request", "Use one client authentication method: HTTP Basic or client_secret in the body, not both");
  });
  it("no grant_type", async () => {
    assertOAuthError(await postJson(token(), { ...good(), grant_type: undefined }), 400, "invalid_request", "grant_type is required");
  });
  it("no audience", async () => {
    assertOAuthError(
      await postJson(token(), { ...good(), audience: undefined }),
      400,
      "invalid_request",
      "audience is required: the identifier of the API the token is for",
    );
  });
  it("audience and resource naming different APIs", async () => {
    assertOAuthError(
      await postJson(token(), { ...good(), resource: ungranted.identifier }),
      400,
      "invalid_request",
      "audience and resource name different APIs; send one of them",
    );
  });
  it("a body over 16 KiB is refused with 413", async () => {
    assertOAuthError(await postJson(token(), { ...good(), padding: "x".repeat(17 * 1024) }), 413, "invalid_request", "The request body is larger than 16 KiB");
  });
});

describe("invalid_client (401)", () => {
  it("no client authentication at all", async () => {
    const res = await postJson(token(), { grant_type: "client_credentials", audience: granted.identifier });
    assertOAuthError(
      res,
      401,
      "invalid_client",
      "Client authentication is required: send client_id and client_secret, HTTP Basic credentials, or a client assertion",
    );
  });
  it("unknown client and wrong secret: the same answer (client_secret_post, no challenge)", async () => {
    const unknown = await postJson(token(), { ...good(), client_id: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    const wrong = await postJson(token(), { ...good(), client_secret: `${app.clientSecret}x` });
    for (const res of [unknown, wrong]) {
      assertOAuthError(res, 401, "invalid_client", AUTH_FAILED);
      assert.equal(res.headers.get("www-authenticate"), null);
    }
    assert.deepEqual(unknown.body, wrong.body);
  });
  it("unknown client and wrong secret over HTTP Basic: the same answer, with a Basic challenge", async () => {
    const form = { grant_type: "client_credentials", audience: granted.identifier };
    const unknown = await postForm(token(), form, { authorization: basicAuth("nobody", app.clientSecret) });
    const wrong = await postForm(token(), form, { authorization: basicAuth(app.clientId, "grantry_wrong") });
    for (const res of [unknown, wrong]) {
      assertOAuthError(res, 401, "invalid_client", AUTH_FAILED);
      assert.equal(res.headers.get("www-authenticate"), `Basic realm="${tenant.issuer}", charset="UTF-8"`);
    }
  });
  it("a client of another tenant", async () => {
    const other = await seedApplication((await seedTenant()).id);
    assertOAuthError(await postJson(token(), seedBody(other, granted.identifier)), 401, "invalid_client", AUTH_FAILED);
  });
});

describe("grant, audience and scope errors", () => {
  it("unsupported_grant_type", async () => {
    assertOAuthError(
      await postJson(token(), { ...good(), grant_type: "password" }),
      400,
      "unsupported_grant_type",
      'grant_type "password" is not supported; use client_credentials',
    );
  });
  it("invalid_target: an audience no API of this tenant has", async () => {
    assertOAuthError(
      await postJson(token(), { ...good(), audience: "https://unknown.example.com/" }),
      400,
      "invalid_target",
      'No API with the identifier "https://unknown.example.com/" exists in this tenant',
    );
  });
  it("access_denied (403): a known API without a grant, named with the grant it needs", async () => {
    const res = await postJson(token(), seedBody(app, ungranted.identifier));
    assertOAuthError(
      res,
      403,
      "access_denied",
      `This application is not authorized for the API "Billing API" (${ungranted.identifier}): a grant to that API is needed`,
    );
  });
  it("access_denied (403): the Management API without a grant", async () => {
    const res = await postJson(token(), seedBody(app, tenant.issuer));
    assertOAuthError(
      res,
      403,
      "access_denied",
      `This application is not authorized for the API "Grantry Management API" (${tenant.issuer}): a grant to that API is needed`,
    );
    assert.ok((await managementApi(tenant.id)).id);
  });
  it("access_denied (403): an expired grant", async () => {
    const res = await postJson(token(), seedBody(app, expired.identifier));
    assertOAuthError(res, 403, "access_denied", `This application's grant to the API "Legacy API" (${expired.identifier}) has expired: a new grant is needed`);
  });
  it("invalid_scope: a scope the grant does not hold", async () => {
    assertOAuthError(
      await postJson(token(), { ...good(), scope: "read:reports write:reports" }),
      400,
      "invalid_scope",
      "Scope not granted to this application for this API: write:reports",
    );
  });
  it("unauthorized_client: a disabled application that proves its secret", async () => {
    assertOAuthError(await postJson(token(), seedBody(disabled, granted.identifier)), 400, "unauthorized_client", "This application is disabled");
  });
});

describe("routing errors", () => {
  it("GET on the token endpoint is 405 with Allow: POST", async () => {
    const res = await request(token());
    assertOAuthError(res, 405, "invalid_request", "Use POST on this endpoint");
    assert.equal(res.headers.get("allow"), "POST");
  });
});
