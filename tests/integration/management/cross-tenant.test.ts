// Tenant A's token never reaches tenant B's data: 404 for every B resource id
// on A's URLs (and nothing of B changes), 401 on B's URLs.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { addMember } from "../helpers/members";
import { createApi } from "@/lib/domain/apis";
import { createClientKey } from "@/lib/domain/client-keys";
import { createFederatedCredential } from "@/lib/domain/federated-credentials";
import { routes } from "@/lib/management/routes";
import { adminSession, call, mintToken, randomSlug, requestToken, serverUrl, type Tenant } from "./support";

after(() => db.$disconnect());

const publicJwk = () => JSON.stringify(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }));

describe("cross-tenant isolation", () => {
  let a: Tenant;
  let b: Tenant;
  let tokenA: string;
  const ids: Record<string, string> = {};
  let bClientId = "";
  let bClientSecret = "";

  before(async () => {
    ({ tenant: a, token: tokenA } = await adminSession("iso-a"));
    const { tenant, client } = await adminSession("iso-b");
    b = tenant;
    bClientId = client.clientId;
    bClientSecret = client.clientSecret;
    const api = await createApi(b.id, { name: "B's API", identifier: "https://b.example.com", scopes: [{ name: "b:scope" }] }, SYSTEM_ACTOR);
    const member = await addMember(b.id, { email: `${randomSlug("b")}@example.com`, role: "admin", password: "a long enough password" });
    const grant = await db.grant.findFirstOrThrow({ where: { applicationId: client.id } });
    const invitation = await call(b, "POST", "/invitations", {
      token: await mintToken(b, client),
      body: { email: `${randomSlug("b-invitee")}@example.com`, role: "viewer" },
    });
    const key = await createClientKey(b.id, client.id, { name: "B's key", public_key: publicJwk() }, SYSTEM_ACTOR);
    const federated = await createFederatedCredential(
      b.id,
      client.id,
      { name: "B's federated", issuer: "https://token.actions.githubusercontent.com", subject: "repo:b/b:*", audience: "b" },
      SYSTEM_ACTOR,
    );
    Object.assign(ids, {
      application: client.id,
      secret: client.secretId,
      api: api.id,
      grant: grant.id,
      user: member.id,
      invitation: invitation.body.id,
      key: key.id,
      federated: federated.id,
    });
  });

  const snapshot = async (tenantId: string) =>
    JSON.stringify(
      await Promise.all([
        db.application.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
        db.clientSecret.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
        db.api.findMany({ where: { tenantId }, include: { scopes: true }, orderBy: { id: "asc" } }),
        db.grant.findMany({ where: { tenantId }, include: { scopes: true }, orderBy: { id: "asc" } }),
        db.membership.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
        db.accountLink.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
        db.clientKey.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
        db.federatedCredential.findMany({ where: { tenantId }, orderBy: { id: "asc" } }),
      ]),
    );

  const validBodies: Record<string, object> = {
    "PATCH /applications/{id}": { name: "Stolen", enabled: false },
    "POST /applications/{id}/secrets": {},
    "POST /applications/{id}/keys": { name: "Stolen", public_key: publicJwk() },
    "POST /applications/{id}/federated-credentials": { name: "Stolen", issuer: "https://stolen.example.com", subject: "*", audience: "stolen" },
    "PATCH /applications/{id}/federated-credentials/{credential_id}": { subject: "*" },
    "PATCH /apis/{id}": { name: "Stolen" },
    "POST /apis/{id}/scopes": { name: "stolen:scope" },
    "PATCH /grants/{id}": { scopes: [] },
    "PATCH /users/{id}": { role: "viewer" },
  };

  it("every route with an id answers 404 for tenant B's ids, and B is unchanged", async () => {
    const before = await snapshot(b.id);
    const idFor: Record<string, (path: string) => string> = {
      "/applications/": () => ids.application!,
      "/apis/": () => ids.api!,
      "/grants/": () => ids.grant!,
      "/users/": () => ids.user!,
      "/invitations/": () => ids.invitation!,
    };
    let checked = 0;
    for (const route of routes.filter((r) => r.path.includes("{id}"))) {
      const prefix = Object.keys(idFor).find((p) => route.path.startsWith(p))!;
      const path = route.path
        .replace("{id}", idFor[prefix]!(route.path))
        .replace("{secret_id}", ids.secret!)
        .replace("{key_id}", ids.key!)
        .replace("{credential_id}", ids.federated!)
        .replace("{name}", "b:scope");
      // A body the route would accept for one of A's own ids: only the foreign id can make it fail.
      const body = route.body ? validBodies[`${route.method} ${route.path}`] : undefined;
      assert.ok(!route.body || body, `no valid body for ${route.method} ${route.path} in this test's table`);
      const res = await call(a, route.method, path, { token: tokenA, body });
      assert.equal(res.status, 404, `${route.method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.doesNotMatch(JSON.stringify(res.body), /Stolen|B's|b:scope/);
      checked++;
    }
    assert.ok(checked >= 12, `checked ${checked} routes`);
    const grantAttempt = await call(a, "POST", "/grants", { token: tokenA, body: { application_id: ids.application, api_id: ids.api, scopes: [] } });
    assert.equal(grantAttempt.status, 404);
    // B's key under one of A's own applications.
    const ownApplication = await db.application.findFirstOrThrow({ where: { tenantId: a.id } });
    const keyAttempt = await call(a, "DELETE", `/applications/${ownApplication.id}/keys/${ids.key}`, { token: tokenA });
    assert.equal(keyAttempt.status, 404, JSON.stringify(keyAttempt.body));
    // B's federated credential under one of A's own applications: neither read, widened nor deleted.
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      const path = `/applications/${ownApplication.id}/federated-credentials/${ids.federated}`;
      const res = await call(a, method, path, { token: tokenA, body: method === "PATCH" ? { subject: "*" } : undefined });
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    }
    const byFilter = await call(a, "GET", `/grants?application_id=${ids.application}`, { token: tokenA });
    assert.deepEqual(byFilter.body, []);
    assert.equal(await snapshot(b.id), before, "nothing of tenant B changed");
  });

  it("lists on A's URLs show nothing of B", async () => {
    // B's token log holds B's application (a success and a wrong secret; here, not in before(): the
    // secret's last-used time changes), and A's /logs/tokens must show neither.
    const client = { id: ids.application!, clientId: bClientId, clientSecret: bClientSecret, secretId: ids.secret!, name: "" };
    await requestToken(b, client);
    await fetch(serverUrl(`${b.issuer}/oauth/token`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: client.clientId, client_secret: "wrong", audience: b.issuer }),
    });
    // The token log is written about a second after a request: wait until B's has landed, so its absence from A's means something.
    const deadline = Date.now() + 10_000;
    while ((await db.tokenLog.count({ where: { tenantId: b.id, applicationId: ids.application } })) < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(await db.tokenLog.count({ where: { tenantId: b.id, applicationId: ids.application } }), 2);
    const filtered = await call(a, "GET", `/logs/tokens?application_id=${ids.application}`, { token: tokenA });
    assert.deepEqual(filtered.body, []);
    for (const path of ["/applications", "/apis", "/grants", "/users", "/keys", "/logs", "/logs/tokens"]) {
      const res = await call(a, "GET", path, { token: tokenA });
      assert.equal(res.status, 200);
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(`${ids.application}|${ids.api}|${ids.grant}|${b.slug}`), path);
    }
  });

  it("A's token is 401 at B's URLs", async () => {
    const res = await call(b, "GET", `/applications/${ids.application}`, { token: tokenA });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
  });
});
