// Workload identity federation: GitHub-, Kubernetes- and SPIFFE-shaped tokens
// from issuers this test serves on loopback (discovery and JWKS), exchanged
// for Grantry tokens; and every refusal with its exact §5.2 answer, no token.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SignJWT, base64url, createRemoteJWKSet, exportJWK, jwtVerify } from "jose";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { updateApplication } from "@/lib/domain/applications";
import { createFederatedCredential } from "@/lib/domain/federated-credentials";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { assertOAuthError, assertTokenResponse, postForm, serverUrl } from "./support";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const impostor = generateKeyPairSync("rsa", { modulusLength: 2048 });

let issuerServer: http.Server;
let base = "";
let tenant: SeededTenant, otherTenant: SeededTenant, app: SeededApp, sibling: SeededApp, stranger: SeededApp, disabled: SeededApp, api: SeededApi;

/** One loopback server, many issuers by path: /gh and /spire publish discovery, /k8s only a JWKS, /hang never answers, /garbage answers HTML. */
function serveIssuers(): Promise<void> {
  issuerServer = http.createServer((req, res) => {
    const path = req.url ?? "/";
    const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    const discovery = /^\/([a-z0-9-]+)\/\.well-known\/openid-configuration$/.exec(path);
    if (path.startsWith("/hang/")) return; // never answers
    if (path.startsWith("/garbage/")) return res.writeHead(200, { "content-type": "text/html" }).end("<html>not json</html>");
    if (discovery && discovery[1] !== "k8s") return json({ issuer: `${base}/${discovery[1]}`, jwks_uri: `${base}/${discovery[1]}/jwks` });
    if (/^\/[a-z0-9-]+\/jwks$/.test(path)) {
      void Promise.all([exportJWK(rsa.publicKey), exportJWK(ec.publicKey)]).then(([r, e]) =>
        json({
          keys: [
            { ...r, kid: "rsa-1", use: "sig" },
            { ...e, kid: "ec-1" },
          ],
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => issuerServer.listen(0, "127.0.0.1", () => resolve()));
}

before(async () => {
  await serveIssuers();
  base = `http://localhost:${(issuerServer.address() as AddressInfo).port}`;
  tenant = await seedTenant();
  otherTenant = await seedTenant();
  api = await seedApi(tenant.id, { scopes: ["deploy"] });
  app = await seedApplication(tenant.id, "Federated workload");
  sibling = await seedApplication(tenant.id, "Sibling");
  disabled = await seedApplication(tenant.id, "Disabled");
  stranger = await seedApplication(otherTenant.id, "Other tenant's");
  for (const a of [app, sibling, disabled]) await seedGrant(tenant.id, a.id, api, ["deploy"]);
  const add = (t: string, a: string, input: Parameters<typeof createFederatedCredential>[2]) => createFederatedCredential(t, a, input, SYSTEM_ACTOR);
  await add(tenant.id, app.id, {
    name: "GitHub main",
    preset: "github",
    issuer: `${base}/gh`,
    subject: "repo:acme/billing:ref:refs/heads/*",
    audience: "grantry",
    conditions: { repository_owner: "acme" },
  });
  await add(tenant.id, app.id, {
    name: "Cluster",
    preset: "kubernetes",
    issuer: `${base}/k8s`,
    jwks_uri: `${base}/k8s/jwks`,
    subject: "system:serviceaccount:billing:worker",
    audience: "grantry-k8s",
  });
  await add(tenant.id, app.id, {
    name: "SPIRE",
    preset: "spiffe",
    issuer: `${base}/spire`,
    subject: "spiffe://example.org/ns/billing/sa/worker",
    audience: "grantry-spiffe",
  });
  await add(tenant.id, app.id, { name: "Hangs", issuer: `${base}/hang`, subject: "x", audience: "grantry" });
  await add(tenant.id, app.id, { name: "Garbage", issuer: `${base}/garbage`, subject: "x", audience: "grantry" });
  await add(tenant.id, sibling.id, { name: "Sibling's", issuer: `${base}/sibling`, subject: "*", audience: "grantry" });
  await add(tenant.id, disabled.id, { name: "Disabled's", issuer: `${base}/gh`, subject: "*", audience: "grantry" });
  await add(otherTenant.id, stranger.id, { name: "Other tenant's", issuer: `${base}/other`, subject: "*", audience: "grantry" });
  await updateApplication(tenant.id, disabled.id, { enabled: false }, SYSTEM_ACTOR);
});

after(async () => {
  issuerServer.closeAllConnections();
  issuerServer.close();
  await db.$disconnect();
});

type Claims = Record<string, unknown>;
const now = () => Math.floor(Date.now() / 1000);
function sign(claims: Claims, { key = rsa.privateKey, alg = "RS256", kid = "rsa-1" }: { key?: KeyObject; alg?: string; kid?: string } = {}): Promise<string> {
  return new SignJWT({ iat: now(), exp: now() + 300, jti: randomUUID(), ...claims }).setProtectedHeader({ alg, kid, typ: "JWT" }).sign(key);
}
const github = (claims: Claims = {}, options?: Parameters<typeof sign>[1]) =>
  sign(
    { iss: `${base}/gh`, sub: "repo:acme/billing:ref:refs/heads/main", aud: "grantry", repository_owner: "acme", ref: "refs/heads/main", ...claims },
    options,
  );
/** `clientId` null: sent without client_id. */
const exchange = (assertion: string, clientId: string | null = app.clientId, url = tenant.tokenUrl) =>
  postForm(url, {
    grant_type: "client_credentials",
    audience: api.identifier,
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
    ...(clientId === null ? {} : { client_id: clientId }),
  });
const refused = (detail: string) => `Client assertion refused: ${detail}`;

describe("workload identity federation", () => {
  it("exchanges a GitHub Actions token for a token that verifies against the tenant's JWKS", async () => {
    const res = await exchange(await github());
    const { token } = assertTokenResponse(res, { issuer: tenant.issuer, audience: api.identifier, clientId: app.clientId, scope: "deploy" });
    const jwks = createRemoteJWKSet(new URL(serverUrl(`${tenant.issuer}/.well-known/jwks.json`)));
    const { payload } = await jwtVerify(token, jwks, { issuer: tenant.issuer, audience: api.identifier });
    assert.equal(payload.client_id, app.clientId);
  });

  it("exchanges a Kubernetes service account token (ES256, an hour long, aud a list, keys from jwks_uri)", async () => {
    const assertion = await sign(
      { iss: `${base}/k8s`, sub: "system:serviceaccount:billing:worker", aud: ["https://kubernetes.default.svc", "grantry-k8s"], exp: now() + 3600 },
      { key: ec.privateKey, alg: "ES256", kid: "ec-1" },
    );
    assertTokenResponse(await exchange(assertion), { issuer: tenant.issuer, audience: api.identifier, clientId: app.clientId, scope: "deploy" });
  });

  it("exchanges a SPIFFE JWT-SVID (PS256)", async () => {
    const assertion = await sign({ iss: `${base}/spire`, sub: "spiffe://example.org/ns/billing/sa/worker", aud: ["grantry-spiffe"] }, { alg: "PS256" });
    assertTokenResponse(await exchange(assertion), { issuer: tenant.issuer, audience: api.identifier, clientId: app.clientId, scope: "deploy" });
  });

  it("records the credential's last use", async () => {
    await exchange(await github());
    for (let i = 0; i < 50; i++) {
      const row = await db.federatedCredential.findFirst({ where: { tenantId: tenant.id, applicationId: app.id, name: "GitHub main" } });
      if (row?.lastUsedAt) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail("lastUsedAt was not recorded");
  });
});

describe("refusals: invalid_client with the exact reason, no token", () => {
  it("an issuer the application does not trust", async () => {
    assertOAuthError(
      await exchange(await github({ iss: `${base}/unknown` })),
      401,
      "invalid_client",
      refused(`issuer "${base}/unknown" is not trusted by this application`),
    );
  });

  it("a subject that does not match, showing both", async () => {
    const res = await exchange(await github({ sub: "repo:acme/billing:pull_request" }));
    assertOAuthError(res, 401, "invalid_client", refused('subject "repo:acme/billing:pull_request" does not match "repo:acme/billing:ref:refs/heads/*"'));
  });

  it("a subject of another repository whose name shares the prefix", async () => {
    const res = await exchange(await github({ sub: "repo:acme/billing-fork:ref:refs/heads/main" }));
    assertOAuthError(
      res,
      401,
      "invalid_client",
      refused('subject "repo:acme/billing-fork:ref:refs/heads/main" does not match "repo:acme/billing:ref:refs/heads/*"'),
    );
  });

  it("an expired token", async () => {
    assertOAuthError(await exchange(await github({ iat: now() - 900, exp: now() - 600 })), 401, "invalid_client", refused("it has expired"));
  });

  it("the wrong audience", async () => {
    assertOAuthError(
      await exchange(await github({ aud: "someone-else" })),
      401,
      "invalid_client",
      refused('"aud" must include "grantry" (it has "someone-else")'),
    );
  });

  it("a claim condition not met", async () => {
    assertOAuthError(
      await exchange(await github({ repository_owner: "evil" })),
      401,
      "invalid_client",
      refused('claim "repository_owner" must be "acme" (it is "evil")'),
    );
  });

  it("alg none and HS256 signed with the issuer's public key", async () => {
    const claims = { iss: `${base}/gh`, sub: "repo:acme/billing:ref:refs/heads/main", aud: "grantry", repository_owner: "acme", exp: now() + 300 };
    const none = `${base64url.encode(JSON.stringify({ alg: "none" }))}.${base64url.encode(JSON.stringify(claims))}.`;
    const accepted = "RS256, PS256, ES256, EdDSA, Ed25519";
    assertOAuthError(await exchange(none), 401, "invalid_client", refused(`"alg" "none" is not accepted (use ${accepted})`));
    const hmacKey = new TextEncoder().encode(rsa.publicKey.export({ type: "spki", format: "pem" }) as string);
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: "rsa-1" }).sign(hmacKey);
    assertOAuthError(await exchange(hs), 401, "invalid_client", refused(`"alg" "HS256" is not accepted (use ${accepted})`));
  });

  it("an unknown kid", async () => {
    assertOAuthError(
      await exchange(await github({}, { kid: "nope" })),
      401,
      "invalid_client",
      refused(`issuer "${base}/gh" has no RS256 key with the kid "nope"`),
    );
  });

  it("a token naming the issuer but signed by another key", async () => {
    const res = await exchange(await github({}, { key: impostor.privateKey }));
    assertOAuthError(res, 401, "invalid_client", refused(`its signature does not verify with the keys of issuer "${base}/gh"`));
  });

  it("a credential of another application, and of another tenant", async () => {
    const forSibling = await sign({ iss: `${base}/sibling`, sub: "anything", aud: "grantry" });
    assertOAuthError(await exchange(forSibling), 401, "invalid_client", refused(`issuer "${base}/sibling" is not trusted by this application`));
    const forStranger = await sign({ iss: `${base}/other`, sub: "anything", aud: "grantry" });
    assertOAuthError(await exchange(forStranger), 401, "invalid_client", refused(`issuer "${base}/other" is not trusted by this application`));
    // The other tenant's client id at this tenant's endpoint: no application here, the same answer.
    assertOAuthError(
      await exchange(forStranger, stranger.clientId),
      401,
      "invalid_client",
      refused(`issuer "${base}/other" is not trusted by this application`),
    );
  });

  it("an issuer whose discovery hangs, or answers garbage", async () => {
    const hangs = await sign({ iss: `${base}/hang`, sub: "x", aud: "grantry" });
    const res = await exchange(hangs);
    assertOAuthError(
      res,
      401,
      "invalid_client",
      new RegExp(`^${refused(`the keys of issuer "${base}/hang" cannot be fetched: No (complete )?answer within \\d+ ms`)}$`),
    );
    const garbage = await sign({ iss: `${base}/garbage`, sub: "x", aud: "grantry" });
    assertOAuthError(await exchange(garbage), 401, "invalid_client", refused(`the keys of issuer "${base}/garbage" cannot be fetched: Its answer is not JSON`));
  });

  it("a federated assertion without client_id", async () => {
    const res = await exchange(await github(), null);
    assertOAuthError(res, 401, "invalid_client", refused("client_id is required with an assertion from another issuer (workload identity federation)"));
  });

  it("a disabled application, once its token is proven", async () => {
    assertOAuthError(await exchange(await github(), disabled.clientId), 400, "unauthorized_client", "This application is disabled");
  });

  it("writes the reason code, never request text, to the token log", async () => {
    await exchange(await github({ sub: `repo:acme/billing:pull_request:${randomUUID()}` }));
    for (let i = 0; i < 50; i++) {
      const rows = await db.tokenLog.findMany({ where: { tenantId: tenant.id, reason: "subject_mismatch" } });
      if (rows.length) {
        assert.ok(rows.every((r) => r.outcome === "invalid_client" && r.applicationId === app.id));
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail("no token log row with reason subject_mismatch");
  });
});
