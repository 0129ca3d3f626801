// @grantry/verify against a running Grantry, in each framework adapter
// (Express, Fastify, Hono, a Next.js route handler): a real token is accepted
// with its claims, and every bad token of the acceptance kind — wrong typ, aud,
// iss, expired, alg none, HS256 keyed with the tenant's public key, an unknown
// kid, a foreign tenant's token for the same audience — gets the exact RFC
// 6750 answer. The forged ones are signed with the tenant's real key (read
// from the database), so only the one thing wrong with each is wrong.
import assert from "node:assert/strict";
import { createPublicKey, type JsonWebKey } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { generateKeyPair, SignJWT, type JWK } from "jose";
import { createTokenClient } from "@grantry/client";
import { createVerifier } from "@grantry/verify";
import { loadCurrentSigningKeys } from "@/lib/domain/keys";
import { db } from "@/lib/db";
import { call, startFrameworks, type Framework } from "../../../packages/verify/test/frameworks";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { postJson, seedBody, serverUrl } from "../protocol/support";

after(() => db.$disconnect());

/** fetch, to the address the server is reachable at (serverUrl); the client hands it Request objects too. */
const viaServer: typeof fetch = (input, init) => fetch(input instanceof Request ? new Request(serverUrl(input.url), input) : serverUrl(String(input)), init);

let tenant: SeededTenant, other: SeededTenant, api: SeededApi, otherApi: SeededApi, app: SeededApp, readOnly: SeededApp, foreignApp: SeededApp;
let frameworks: Framework[], scoped: Framework[];

before(async () => {
  tenant = await seedTenant();
  api = await seedApi(tenant.id, { scopes: ["read:things", "write:things"] });
  otherApi = await seedApi(tenant.id);
  app = await seedApplication(tenant.id, "caller");
  readOnly = await seedApplication(tenant.id, "reader");
  await seedGrant(tenant.id, app.id, api);
  await seedGrant(tenant.id, app.id, otherApi);
  await seedGrant(tenant.id, readOnly.id, api, ["read:things"]);
  // Another tenant with an API of the same identifier: its tokens name the same audience.
  other = await seedTenant();
  foreignApp = await seedApplication(other.id);
  await seedGrant(other.id, foreignApp.id, await seedApi(other.id, { identifier: api.identifier }));
  const verifier = createVerifier({ issuer: tenant.issuer, audience: api.identifier, fetch: viaServer });
  frameworks = await startFrameworks(verifier);
  scoped = await startFrameworks(verifier, ["write:things"]);
});
after(async () => {
  for (const f of [...(frameworks ?? []), ...(scoped ?? [])]) await f.close();
});

async function token(who: SeededApp, audience = api.identifier, where = tenant): Promise<string> {
  const res = await postJson(where.tokenUrl, seedBody(who, audience));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.access_token as string;
}

const now = () => Math.floor(Date.now() / 1000);

/** Signed with the tenant's current key of `alg`, RFC 9068's claims unless overridden. */
async function forge(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, alg = "RS256") {
  const key = (await loadCurrentSigningKeys(tenant.id)).find((k) => k.alg === alg) ?? (await loadCurrentSigningKeys(tenant.id))[0]!;
  return new SignJWT({ client_id: app.clientId, scope: "read:things write:things", ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header })
    .setIssuer((claims.iss as string) ?? tenant.issuer)
    .setSubject(app.clientId)
    .setAudience((claims.aud as string) ?? api.identifier)
    .setJti("forged")
    .setIssuedAt((claims.iat as number) ?? now())
    .setExpirationTime((claims.exp as number) ?? now() + 300)
    .sign(key.privateKey);
}

const invalidToken = (description: string) => ({
  status: 401,
  challenge: `Bearer error="invalid_token", error_description="${description}"`,
  body: { error: "invalid_token", error_description: description },
});

describe("@grantry/verify against Grantry's tokens, in every adapter", () => {
  it("accepts a token from Grantry's token endpoint, and one @grantry/client fetched and sent", async () => {
    const bearer = await token(app);
    for (const f of frameworks) {
      assert.deepEqual(
        await call(f.url, { authorization: `Bearer ${bearer}` }),
        { status: 200, challenge: null, body: { client_id: app.clientId, scopes: ["read:things", "write:things"], scheme: "Bearer" } },
        f.name,
      );
    }
    const client = createTokenClient({
      issuer: tenant.issuer,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      audience: api.identifier,
      fetch: (url, init) => fetch(serverUrl(String(url)), init),
    });
    for (const f of frameworks) assert.equal((await client.fetch(`${f.url}/things`)).status, 200, f.name);
  });

  const BAD: Array<{ name: string; token: () => Promise<string>; answer: ReturnType<typeof invalidToken> }> = [
    { name: "wrong typ", token: () => forge({}, { typ: "JWT" }), answer: invalidToken("The access token is not an RFC 9068 access token (typ at+jwt)") },
    {
      name: "wrong aud (the tenant's token for another of its APIs)",
      token: () => token(app, otherApi.identifier),
      answer: invalidToken("The access token is for another audience"),
    },
    {
      name: "wrong iss (the tenant's key, another issuer named)",
      token: () => forge({ iss: other.issuer }),
      answer: invalidToken("The access token is from another issuer"),
    },
    { name: "expired", token: () => forge({ iat: now() - 7200, exp: now() - 3600 }), answer: invalidToken("The access token has expired") },
    {
      name: "alg none",
      token: async () => {
        const [key] = await loadCurrentSigningKeys(tenant.id);
        const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
        const claims = { iss: tenant.issuer, sub: app.clientId, aud: api.identifier, client_id: app.clientId, iat: now(), exp: now() + 300, jti: "x" };
        return `${enc({ alg: "none", typ: "at+jwt", kid: key!.kid })}.${enc(claims)}.`;
      },
      answer: invalidToken("The access token is signed with an algorithm this API does not accept"),
    },
    {
      name: "HS256 keyed with the tenant's published public key",
      token: async () => {
        const jwks = (await (await fetch(serverUrl(`${tenant.issuer}/.well-known/jwks.json`))).json()) as { keys: Array<JWK & { kid: string }> };
        const published = jwks.keys.find((k) => k.kty === "RSA") ?? jwks.keys[0]!;
        const pem = createPublicKey({ key: published as JsonWebKey, format: "jwk" })
          .export({ format: "pem", type: "spki" })
          .toString();
        return new SignJWT({ client_id: app.clientId, jti: "x" })
          .setProtectedHeader({ alg: "HS256", kid: published.kid, typ: "at+jwt" })
          .setIssuer(tenant.issuer)
          .setSubject(app.clientId)
          .setAudience(api.identifier)
          .setIssuedAt()
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode(pem));
      },
      answer: invalidToken("The access token is signed with an algorithm this API does not accept"),
    },
    {
      name: "unknown kid",
      token: async () => {
        const { privateKey } = await generateKeyPair("RS256");
        return new SignJWT({ client_id: app.clientId, jti: "x" })
          .setProtectedHeader({ alg: "RS256", kid: "not-a-grantry-kid", typ: "at+jwt" })
          .setIssuer(tenant.issuer)
          .setSubject(app.clientId)
          .setAudience(api.identifier)
          .setIssuedAt()
          .setExpirationTime("5m")
          .sign(privateKey);
      },
      answer: invalidToken("The access token is signed with a key the issuer does not publish"),
    },
    {
      name: "foreign tenant (its real token for an API of the same identifier)",
      token: () => token(foreignApp, api.identifier, other),
      answer: invalidToken("The access token is signed with a key the issuer does not publish"),
    },
  ];
  for (const bad of BAD) {
    it(`refuses ${bad.name}`, async () => {
      const t = await bad.token();
      for (const f of frameworks) assert.deepEqual(await call(f.url, { authorization: `Bearer ${t}` }), bad.answer, f.name);
    });
  }

  it("answers 403 insufficient_scope to a real token without the required scope", async () => {
    const t = await token(readOnly);
    const description = "The access token lacks the scope write:things";
    for (const f of scoped) {
      assert.deepEqual(
        await call(f.url, { authorization: `Bearer ${t}` }),
        {
          status: 403,
          challenge: `Bearer error="insufficient_scope", error_description="${description}", scope="write:things"`,
          body: { error: "insufficient_scope", error_description: description, scope: "write:things" },
        },
        f.name,
      );
    }
  });
});
