// Introspection (RFC 7662) and revocation (RFC 7009): active only while the
// token verifies and its client, grant and jti are live, and only to the
// token's own client or a client granted its audience; a client revokes its
// own tokens, and every token gets the same 200; everything else is {active: false}.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as oauth from "oauth4webapi";
import { deleteApplication, updateApplication } from "@/lib/domain/applications";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { deleteGrant } from "@/lib/domain/grants";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { assertOAuthError, basicAuth, postForm, postJson, seedBody, serverUrl } from "./support";
import { db } from "@/lib/db";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

let tenant: SeededTenant, api: SeededApi, owner: SeededApp, other: SeededApp, disabled: SeededApp, deleted: SeededApp;
let foreignToken: string;
const grants: Record<string, string> = {};

before(async () => {
  tenant = await seedTenant();
  api = await seedApi(tenant.id, { scopes: ["read:x"] });
  const apps: Record<string, SeededApp> = {};
  for (const name of ["owner", "other", "disabled", "deleted"]) {
    apps[name] = await seedApplication(tenant.id, name);
    grants[name] = (await seedGrant(tenant.id, apps[name].id, api)).id;
  }
  ({ owner, other, disabled, deleted } = apps as Record<"owner" | "other" | "disabled" | "deleted", SeededApp>);
  const elsewhere = await seedTenant();
  const foreign = await seedApplication(elsewhere.id);
  const foreignApi = await seedApi(elsewhere.id, { identifier: api.identifier });
  await seedGrant(elsewhere.id, foreign.id, foreignApi);
  foreignToken = await tokenFor(foreign, elsewhere);
});

async function tokenFor(app: SeededApp, where = tenant): Promise<string> {
  const res = await postJson(where.tokenUrl, seedBody(app, api.identifier));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.access_token as string;
}

const introspect = (token: string, caller: SeededApp = owner) =>
  postForm(`${tenant.issuer}/oauth/introspect`, { token }, { authorization: basicAuth(caller.clientId, caller.clientSecret) });
const revoke = (token: string, caller: SeededApp = owner) =>
  postForm(`${tenant.issuer}/oauth/revoke`, { token, token_type_hint: "access_token" }, { authorization: basicAuth(caller.clientId, caller.clientSecret) });

describe("introspection", () => {
  it("a live token is active, with its claims, to its own client and to a client granted its API", async () => {
    const token = await tokenFor(owner);
    for (const caller of [owner, other]) {
      const res = await introspect(token, caller);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "no-store");
      const { iat, exp, jti, ...rest } = res.body;
      assert.deepEqual(rest, {
        active: true,
        token_type: "Bearer",
        iss: tenant.issuer,
        sub: owner.clientId,
        aud: api.identifier,
        client_id: owner.clientId,
        scope: "read:x",
        gty: "client-credentials",
      });
      assert.ok(typeof iat === "number" && typeof exp === "number" && typeof jti === "string");
    }
  });

  it("a client of the tenant without a grant to the token's API is told nothing: active false", async () => {
    const token = await tokenFor(owner);
    const outsider = await seedApplication(tenant.id, "outsider");
    const otherApi = await seedApi(tenant.id, { scopes: ["read:y"] });
    await seedGrant(tenant.id, outsider.id, otherApi); // granted some other API, not this token's
    await new Promise((r) => setTimeout(r, 1100)); // the server learns of `outsider` on its next miss reload
    let res = await introspect(token, outsider);
    for (let i = 0; i < 40 && res.status === 401; i++) res = await new Promise((r) => setTimeout(r, 250)).then(() => introspect(token, outsider));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { active: false });
    // The same caller, once granted the token's API, is its resource server and may see it.
    await seedGrant(tenant.id, outsider.id, api);
    assert.equal((await introspect(token, outsider)).body.active, true);
  });

  it("works through oauth4webapi with client_secret_post and a JSON body too", async () => {
    const token = await tokenFor(owner);
    const as = { issuer: tenant.issuer, introspection_endpoint: `${tenant.issuer}/oauth/introspect` };
    const client = { client_id: other.clientId };
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init) };
    const result = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretPost(other.clientSecret), token, options),
    );
    assert.equal(result.active, true);
    const json = await postJson(`${tenant.issuer}/oauth/introspect`, { token, client_id: other.clientId, client_secret: other.clientSecret });
    assert.equal(json.body.active, true);
  });

  it("garbage, a tampered token and another tenant's token are inactive", async () => {
    const token = await tokenFor(owner);
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const tampered = [h, Buffer.from(JSON.stringify({ ...claims, scope: "admin" })).toString("base64url"), s].join(".");
    for (const candidate of ["garbage", "a.b.c", tampered, foreignToken, "x".repeat(10_000)]) {
      assert.deepEqual((await introspect(candidate)).body, { active: false });
    }
  });

  it("a deleted grant, a disabled application and a deleted application make tokens inactive", async () => {
    const [t1, t2, t3] = [await tokenFor(other), await tokenFor(disabled), await tokenFor(deleted)];
    for (const t of [t1, t2, t3]) assert.equal((await introspect(t)).body.active, true);
    await deleteGrant(tenant.id, grants.other!, SYSTEM_ACTOR);
    await updateApplication(tenant.id, disabled.id, { enabled: false }, SYSTEM_ACTOR);
    await deleteApplication(tenant.id, deleted.id, SYSTEM_ACTOR);
    for (const t of [t1, t2, t3]) assert.deepEqual((await introspect(t)).body, { active: false });
  });

  it("requires client authentication and a token", async () => {
    const res = await postForm(`${tenant.issuer}/oauth/introspect`, { token: "x" });
    assertOAuthError(res, 401, "invalid_client");
    const wrong = await postForm(`${tenant.issuer}/oauth/introspect`, { token: "x" }, { authorization: basicAuth(owner.clientId, "nope") });
    assertOAuthError(wrong, 401, "invalid_client", "Client authentication failed");
    assert.match(wrong.headers.get("www-authenticate") ?? "", /^Basic /);
    assertOAuthError(
      await postForm(`${tenant.issuer}/oauth/introspect`, {}, { authorization: basicAuth(owner.clientId, owner.clientSecret) }),
      400,
      "invalid_request",
      "token is required",
    );
  });
});

describe("revocation", () => {
  it("a client revokes its own token; introspection then answers inactive; revoking again is fine", async () => {
    const token = await tokenFor(owner);
    for (let i = 0; i < 2; i++) {
      const res = await revoke(token);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {});
    }
    assert.deepEqual((await introspect(token)).body, { active: false });
    assert.deepEqual((await introspect(await tokenFor(owner))).body.active, true);
  });

  it("unknown, malformed and foreign tokens get 200 and change nothing (RFC 7009 §2.2)", async () => {
    for (const candidate of ["garbage", "a.b.c", foreignToken]) assert.equal((await revoke(candidate)).status, 200);
  });

  it("another client's valid token gets the same 200 and stays live (no oracle for live tokens)", async () => {
    const token = await tokenFor(owner);
    const stranger = await seedApplication(tenant.id, "stranger");
    await new Promise((r) => setTimeout(r, 1100)); // the server learns of `stranger` on its next miss reload
    let res = await revoke(token, stranger);
    for (let i = 0; i < 40 && res.status === 401; i++) res = await new Promise((r) => setTimeout(r, 250)).then(() => revoke(token, stranger));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {});
    const junk = await revoke("not-a-token", stranger);
    assert.deepEqual([junk.status, junk.body], [res.status, res.body], "the same answer as for junk");
    assert.equal((await introspect(token)).body.active, true);
  });

  it("works through oauth4webapi", async () => {
    const token = await tokenFor(owner);
    const as = { issuer: tenant.issuer, revocation_endpoint: `${tenant.issuer}/oauth/revoke` };
    const client = { client_id: owner.clientId };
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init) };
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.ClientSecretBasic(owner.clientSecret), token, options));
    assert.deepEqual((await introspect(token)).body, { active: false });
  });
});
