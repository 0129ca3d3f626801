// DPoP (RFC 9449) through real client libraries — oauth4webapi and
// openid-client get bound tokens, oauth4webapi's validateJwtAccessToken and
// the reference resource server accept them only with a proof of the key —
// and every bad proof, each answered with its exact body and no token.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SignJWT, calculateJwkThumbprint, decodeJwt, exportJWK } from "jose";
import * as oauth from "oauth4webapi";
import * as openid from "openid-client";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { updateApi } from "@/lib/domain/apis";
import { updateApplication } from "@/lib/domain/applications";
import { startServer, type TestServer } from "../../harness/server";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { assertOAuthError, basicAuth, postForm, request, serverUrl, startResourceServer } from "./support";

after(() => db.$disconnect());

const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init) };

let tenant: SeededTenant, app: SeededApp, strictApp: SeededApp, api: SeededApi, strictApi: SeededApi;
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
type Pair = { privateKey: KeyObject; publicKey: KeyObject };

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id, "Proves possession");
  strictApp = await seedApplication(tenant.id, "Must use DPoP");
  api = await seedApi(tenant.id, { scopes: ["read:a"] });
  strictApi = await seedApi(tenant.id, { name: "Ledger", scopes: ["read:a"] });
  await updateApi(tenant.id, strictApi.id, { dpop_required: true }, SYSTEM_ACTOR);
  await updateApplication(tenant.id, strictApp.id, { dpop_required: true }, SYSTEM_ACTOR);
  await seedGrant(tenant.id, app.id, api);
  await seedGrant(tenant.id, app.id, strictApi);
  await seedGrant(tenant.id, strictApp.id, api);
});

async function proof(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key: Pair = ec, url = tenant.tokenUrl): Promise<string> {
  const jwk = await exportJWK(key.publicKey);
  return new SignJWT({ htm: "POST", htu: url, iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk, ...header })
    .sign(key.privateKey);
}

const tokenRequest = (dpop: string | string[] | undefined, who: SeededApp = app, audience = api.identifier, url = tenant.tokenUrl) => {
  const headers = new Headers({ authorization: basicAuth(who.clientId, who.clientSecret), "content-type": "application/x-www-form-urlencoded" });
  for (const value of typeof dpop === "string" ? [dpop] : (dpop ?? [])) headers.append("dpop", value);
  return request(url, { method: "POST", headers, body: new URLSearchParams({ grant_type: "client_credentials", audience }).toString() });
};

const webKeys = (): Promise<CryptoKeyPair> => oauth.generateKeyPair("ES256");

describe("DPoP through client libraries", () => {
  let rs: { url: string; stop: () => void } | undefined;
  after(() => rs?.stop());

  it("oauth4webapi gets a DPoP-bound token that validateJwtAccessToken and the reference resource server accept with a proof", async () => {
    const as = await oauth.processDiscoveryResponse(new URL(tenant.issuer), await oauth.discoveryRequest(new URL(tenant.issuer), options));
    assert.deepEqual(as.dpop_signing_alg_values_supported, ["ES256", "PS256", "RS256", "EdDSA"]);
    const keys = await webKeys();
    const DPoP = oauth.DPoP({}, keys);
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: app.clientId },
      oauth.ClientSecretPost(app.clientSecret),
      new URLSearchParams({ audience: api.identifier }),
      { ...options, DPoP },
    );
    const result = await oauth.processClientCredentialsResponse(as, { client_id: app.clientId }, response);
    assert.equal(result.token_type, "dpop");
    const jkt = await calculateJwkThumbprint(await crypto.subtle.exportKey("jwk", keys.publicKey));
    assert.deepEqual(decodeJwt(result.access_token).cnf, { jkt });

    // oauth4webapi as the resource server: the request its own client would send.
    const resource = new URL("https://orders.example.com/orders");
    let sent: Request | undefined;
    await oauth.protectedResourceRequest(result.access_token, "GET", resource, undefined, undefined, {
      DPoP,
      [oauth.customFetch]: (url, init) => {
        sent = new Request(url, init as RequestInit);
        return Promise.resolve(new Response("{}"));
      },
    });
    assert.match(sent!.headers.get("authorization")!, /^DPoP /);
    const claims = await oauth.validateJwtAccessToken(as, sent!, api.identifier, { ...options, requireDPoP: true });
    assert.deepEqual(claims.cnf, { jkt });
    // The same token as a Bearer token is refused: it is bound.
    const bearer = new Request(resource, { headers: { authorization: `Bearer ${result.access_token}` } });
    await assert.rejects(oauth.validateJwtAccessToken(as, bearer, api.identifier, options));

    // The reference resource server (@grantry/verify): a proof from the bound key, and not from another.
    rs = await startResourceServer({ ISSUER: tenant.issuer, AUDIENCE: api.identifier });
    const rsUrl = new URL(`${rs.url}/api`);
    const ok = await oauth.protectedResourceRequest(result.access_token, "GET", rsUrl, undefined, undefined, {
      DPoP,
      [oauth.allowInsecureRequests]: true,
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.equal(((await ok.json()) as { client_id: string }).client_id, app.clientId);
    const thief = oauth.DPoP({}, await webKeys());
    // oauth4webapi throws on a 401 with a challenge: a proof by another key than the bound one is refused.
    await assert.rejects(
      oauth.protectedResourceRequest(result.access_token, "GET", rsUrl, undefined, undefined, { DPoP: thief, [oauth.allowInsecureRequests]: true }),
      (error: oauth.WWWAuthenticateChallengeError) => {
        assert.equal(error.response.status, 401);
        assert.equal(error.cause[0]?.scheme, "dpop");
        // @grantry/verify: the token is bound to another key than the proof's.
        assert.equal(error.cause[0]?.parameters.error, "invalid_token");
        return true;
      },
    );
    const asBearer = await fetch(rsUrl, { headers: { authorization: `Bearer ${result.access_token}` } });
    assert.equal(asBearer.status, 401);

    // With DPOP_REQUIRED=1 it refuses unbound Bearer tokens.
    const strictRs = await startResourceServer({ ISSUER: tenant.issuer, AUDIENCE: api.identifier, DPOP_REQUIRED: "1" });
    try {
      const unbound = (await tokenRequest(undefined)).body.access_token as string;
      const refused = await fetch(`${strictRs.url}/api`, { headers: { authorization: `Bearer ${unbound}` } });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get("www-authenticate") ?? "", /^DPoP /);
    } finally {
      strictRs.stop();
    }
  });

  it("openid-client gets a DPoP-bound token; introspection returns its cnf", async () => {
    const config = await openid.discovery(new URL(tenant.issuer), app.clientId, {}, openid.ClientSecretBasic(app.clientSecret), {
      execute: [openid.allowInsecureRequests],
      [openid.customFetch]: (url: string, init: RequestInit) => fetch(serverUrl(url), init),
    } as Parameters<typeof openid.discovery>[4]);
    const keys = await openid.randomDPoPKeyPair("ES256");
    const tokens = await openid.clientCredentialsGrant(config, { audience: api.identifier }, { DPoP: openid.getDPoPHandle(config, keys) });
    assert.equal(tokens.token_type, "dpop");
    const jkt = await calculateJwkThumbprint(await crypto.subtle.exportKey("jwk", keys.publicKey));

    const introspected = await postForm(
      `${tenant.issuer}/oauth/introspect`,
      { token: tokens.access_token },
      { authorization: basicAuth(app.clientId, app.clientSecret) },
    );
    assert.equal(introspected.status, 200);
    assert.equal(introspected.body.active, true);
    assert.equal(introspected.body.token_type, "DPoP");
    assert.deepEqual(introspected.body.cnf, { jkt });
  });

  it("a request without a proof still gets a Bearer token, and the m2m path binds with its own URL", async () => {
    const bearer = await tokenRequest(undefined);
    assert.equal(bearer.status, 200);
    assert.equal(bearer.body.token_type, "Bearer");
    assert.equal(decodeJwt(bearer.body.access_token as string).cnf, undefined);
    const m2m = `${tenant.issuer}/oauth/m2m/token`;
    const bound = await tokenRequest(await proof({ htu: m2m }), app, api.identifier, m2m);
    assert.equal(bound.status, 200, JSON.stringify(bound.body));
    assert.equal(bound.body.token_type, "DPoP");
    // No DPoP-Nonce unless GRANTRY_DPOP_NONCE is on.
    assert.equal(bound.headers.get("dpop-nonce"), null);
  });
});

describe("DPoP proofs refused", () => {
  const refused = (reason: string) => `DPoP proof refused: ${reason}`;
  const ALGS = "(use ES256, PS256, RS256, EdDSA)";
  const unsigned = async (header: Record<string, unknown>) => {
    const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const claims = { htm: "POST", htu: tenant.tokenUrl, iat: Math.floor(Date.now() / 1000), jti: randomUUID() };
    return `${encode({ typ: "dpop+jwt", jwk: await exportJWK(ec.publicKey), ...header })}.${encode(claims)}`;
  };
  const now = () => Math.floor(Date.now() / 1000);

  it("answers each bad proof with invalid_dpop_proof, its exact description and no token", async () => {
    const hs256 = await new SignJWT({ htm: "POST", htu: tenant.tokenUrl, iat: now(), jti: randomUUID() })
      .setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: await exportJWK(ec.publicKey) })
      .sign(new TextEncoder().encode("x".repeat(32)));
    const cases: Array<[string, string | string[], string]> = [
      ["another URL", await proof({ htu: `${tenant.issuer}/oauth/m2m/token` }), refused(`"htu" must be ${tenant.tokenUrl}, the URL of this request`)],
      ["another tenant's URL", await proof({ htu: `${tenant.issuer}x/oauth/token` }), refused(`"htu" must be ${tenant.tokenUrl}, the URL of this request`)],
      ["another method", await proof({ htm: "GET" }), refused('"htm" must be "POST", the method of this request')],
      [
        "a private key in the header",
        await proof({}, { jwk: await exportJWK(ec.privateKey) }),
        refused('"jwk" must be a public key, but it holds private members (d)'),
      ],
      ["alg none", `${await unsigned({ alg: "none" })}.`, refused("not a signed JWT (JWS compact serialization)")],
      ["alg none with a signature", `${await unsigned({ alg: "none" })}.c2ln`, refused(`"alg" "none" is not accepted ${ALGS}`)],
      ["HS256", hs256, refused(`"alg" "HS256" is not accepted ${ALGS}`)],
      ["iat far past", await proof({ iat: now() - 600 }), refused('"iat" is more than 60 seconds old: make a new proof for each request')],
      ["iat far future", await proof({ iat: now() + 600 }), refused(`"iat" is more than 60 seconds in the future: check the client's clock`)],
      ["wrong typ", await proof({}, { typ: "JWT" }), refused('"typ" must be "dpop+jwt"')],
      ["oversized", await proof({ pad: "x".repeat(9000) }), refused("longer than 8192 characters")],
      ["two DPoP headers", [await proof(), await proof()], refused("send exactly one DPoP header")],
      [
        "signed by another key",
        await proof({}, { jwk: await exportJWK(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey) }),
        refused('its signature does not verify with its "jwk"'),
      ],
    ];
    for (const [name, dpop, description] of cases) {
      const res = await tokenRequest(dpop);
      assert.equal(res.body.access_token, undefined, name);
      assertOAuthError(res, 400, "invalid_dpop_proof", description);
    }
  });

  it("refuses a replayed proof", async () => {
    const once = await proof();
    assert.equal((await tokenRequest(once)).status, 200);
    assertOAuthError(await tokenRequest(once), 400, "invalid_dpop_proof", refused('"jti" was already used: make a new proof for each request'));
  });

  it("refuses a request without a proof when the API or the application requires DPoP, and records it in the token log", async () => {
    assertOAuthError(
      await tokenRequest(undefined, app, strictApi.identifier),
      400,
      "invalid_dpop_proof",
      `A DPoP proof is required: the API "Ledger" (${strictApi.identifier}) requires DPoP-bound tokens`,
    );
    assertOAuthError(await tokenRequest(undefined, strictApp), 400, "invalid_dpop_proof", "A DPoP proof is required: this application is set to require DPoP");
    const bound = await tokenRequest(await proof(), app, strictApi.identifier);
    assert.equal(bound.status, 200, JSON.stringify(bound.body));
    assert.equal(bound.body.token_type, "DPoP");
    assert.equal((await tokenRequest(await proof(), strictApp)).body.token_type, "DPoP");

    const deadline = Date.now() + 10_000;
    let rows: Array<{ applicationId: string | null; apiId: string | null }> = [];
    while (Date.now() < deadline) {
      rows = await db.tokenLog.findMany({ where: { tenantId: tenant.id, outcome: "invalid_dpop_proof" }, select: { applicationId: true, apiId: true } });
      if (rows.some((r) => r.applicationId === strictApp.id) && rows.some((r) => r.apiId === strictApi.id)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(
      rows.some((r) => r.applicationId === strictApp.id && r.apiId === api.id),
      JSON.stringify(rows),
    );
    assert.ok(
      rows.some((r) => r.applicationId === app.id && r.apiId === strictApi.id),
      JSON.stringify(rows),
    );
  });
});

describe("DPoP nonces (GRANTRY_DPOP_NONCE=1)", () => {
  let server: TestServer;
  let issuer: string;
  before(async () => {
    server = await startServer({
      name: "dpop-nonce",
      databaseUrl: process.env.DATABASE_URL!,
      fastPath: process.env.GRANTRY_TEST_FAST_PATH !== "0",
      env: { GRANTRY_DPOP_NONCE: "1" },
    });
    issuer = `${server.url}/t/${tenant.slug}`;
  });
  after(() => server?.stop());

  it("asks for a nonce, gives a fresh one with every answer, and accepts a proof that carries it", async () => {
    const url = `${issuer}/oauth/token`;
    const send = async (dpop?: string) => {
      const headers: Record<string, string> = { authorization: basicAuth(app.clientId, app.clientSecret), ...(dpop ? { dpop } : {}) };
      return postForm(url, { grant_type: "client_credentials", audience: api.identifier }, headers);
    };
    const asked = await send(await proof({}, {}, ec, url));
    assertOAuthError(asked, 400, "use_dpop_nonce", 'This server requires a "nonce" in DPoP proofs: resend with the DPoP-Nonce header of this response');
    const nonce = asked.headers.get("dpop-nonce")!;
    assert.match(nonce, /^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    assert.equal(asked.headers.get("access-control-expose-headers"), "DPoP-Nonce");
    const forged = await send(await proof({ nonce: `${nonce.split(".")[0]}.${"A".repeat(22)}` }, {}, ec, url));
    assert.equal(forged.body.error, "use_dpop_nonce");
    const ok = await send(await proof({ nonce }, {}, ec, url));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.token_type, "DPoP");
    assert.ok(ok.headers.get("dpop-nonce"));
    // Bearer requests are answered as before, with a nonce for later.
    const bearer = await send();
    assert.equal(bearer.body.token_type, "Bearer");
    assert.ok(bearer.headers.get("dpop-nonce"));
  });

  it("oauth4webapi retries with the nonce it is given", async () => {
    const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), { [oauth.allowInsecureRequests]: true }));
    const DPoP = oauth.DPoP({}, await webKeys());
    const grant = () =>
      oauth
        .clientCredentialsGrantRequest(
          as,
          { client_id: app.clientId },
          oauth.ClientSecretPost(app.clientSecret),
          new URLSearchParams({ audience: api.identifier }),
          {
            DPoP,
            [oauth.allowInsecureRequests]: true,
          },
        )
        .then((response) => oauth.processClientCredentialsResponse(as, { client_id: app.clientId }, response));
    await assert.rejects(grant(), (error) => oauth.isDPoPNonceError(error));
    assert.equal((await grant()).token_type, "dpop");
  });
});
