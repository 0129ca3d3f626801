// Every bad token of the kinds RFC 9068 §4 tells a resource server to refuse
// gets the same exact RFC 6750 answer (status, WWW-Authenticate, body) from
// each adapter in its real framework: Express, Fastify, Hono and a Next.js
// route handler; a good token gets through with its claims; no credentials
// get a bare challenge, a malformed header 400, a missing scope 403.
import assert from "node:assert/strict";
import { createPublicKey, type JsonWebKey } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SignJWT } from "jose";
import { createVerifier } from "@grantry/verify";
import { call, startFrameworks, type Framework } from "./frameworks";
import { newKey, now, signToken, startIssuer, unsecuredToken, type Issuer } from "./issuer";

const AUDIENCE = "https://api.example.com/";
let issuer: Issuer, foreign: Issuer, rsaIssuer: Issuer;
let frameworks: Framework[], scoped: Framework[], withRealm: Framework[], rsaFrameworks: Framework[];

before(async () => {
  issuer = await startIssuer({ path: "/t/acme" });
  foreign = await startIssuer({ path: "/t/other" });
  rsaIssuer = await startIssuer({ algs: ["RS256"] });
  frameworks = await startFrameworks(createVerifier({ issuer: issuer.issuer, audience: AUDIENCE }));
  scoped = await startFrameworks(createVerifier({ issuer: issuer.issuer, audience: AUDIENCE }), ["write:things", "admin"]);
  withRealm = await startFrameworks(createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, realm: "things" }));
  rsaFrameworks = await startFrameworks(createVerifier({ issuer: rsaIssuer.issuer, audience: AUDIENCE }));
});
after(async () => {
  for (const f of [...frameworks, ...scoped, ...withRealm, ...rsaFrameworks]) await f.close();
  for (const i of [issuer, foreign, rsaIssuer]) await i.close();
});

const invalidToken = (description: string) => ({
  status: 401,
  challenge: `Bearer error="invalid_token", error_description="${description}"`,
  body: { error: "invalid_token", error_description: description },
});

/** Each case: a token (made when the test runs) and the one answer every adapter must give. */
const BAD_TOKENS: Array<{ name: string; token: () => Promise<string>; answer: ReturnType<typeof invalidToken> }> = [
  {
    name: "wrong typ (a plain JWT, not at+jwt)",
    token: () => issuer.token({}, { header: { typ: "JWT" } }),
    answer: invalidToken("The access token is not an RFC 9068 access token (typ at+jwt)"),
  },
  { name: "wrong aud", token: () => issuer.token({ aud: "https://other-api.example.com/" }), answer: invalidToken("The access token is for another audience") },
  {
    name: "wrong iss (signed with the issuer's own key)",
    token: () => issuer.token({ iss: foreign.issuer }),
    answer: invalidToken("The access token is from another issuer"),
  },
  { name: "expired", token: () => issuer.token({ iat: now() - 3600, exp: now() - 60 }), answer: invalidToken("The access token has expired") },
  { name: "not valid yet (nbf)", token: () => issuer.token({ nbf: now() + 600 }), answer: invalidToken("The access token is not valid yet") },
  {
    name: "issued in the future (iat)",
    token: () => issuer.token({ iat: now() + 600, exp: now() + 900 }),
    answer: invalidToken("The access token was issued in the future"),
  },
  {
    name: "alg none",
    token: async () =>
      unsecuredToken({ iss: issuer.issuer, aud: AUDIENCE, sub: "x", client_id: "x", iat: now(), exp: now() + 60, jti: "j" }, issuer.keys[0]!.kid),
    answer: invalidToken("The access token is signed with an algorithm this API does not accept"),
  },
  {
    name: "HS256 with the issuer's public key as the secret",
    token: async () => {
      const key = issuer.keys[0]!;
      const pem = createPublicKey({ key: key.publicJwk as JsonWebKey, format: "jwk" }).export({ format: "pem", type: "spki" });
      return new SignJWT({ iss: issuer.issuer, aud: AUDIENCE, sub: "x", client_id: "x", jti: "j" })
        .setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "at+jwt" })
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(pem.toString()));
    },
    answer: invalidToken("The access token is signed with an algorithm this API does not accept"),
  },
  {
    name: "unknown kid",
    token: async () => signToken(issuer.issuer, await newKey("ES256", "not-published")),
    answer: invalidToken("The access token is signed with a key the issuer does not publish"),
  },
  {
    name: "a published kid, but signed by another key",
    token: async () => signToken(issuer.issuer, { ...(await newKey("ES256")), kid: issuer.keys[0]!.kid }),
    answer: invalidToken("The access token's signature is invalid"),
  },
  {
    name: "foreign tenant (another issuer's valid token for the same audience)",
    token: () => foreign.token(),
    answer: invalidToken("The access token is signed with a key the issuer does not publish"),
  },
  { name: "no client_id claim", token: () => issuer.token({ client_id: undefined }), answer: invalidToken("The access token has no client_id claim") },
  { name: "no jti claim", token: () => issuer.token({ jti: undefined }), answer: invalidToken("The access token has no jti claim") },
  {
    name: "DPoP-bound, sent as Bearer without a proof",
    token: () => issuer.token({ cnf: { jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" } }),
    answer: invalidToken("The access token is DPoP-bound: send it with the DPoP scheme and a proof"),
  },
  { name: "not a JWT", token: async () => "not-a-jwt", answer: invalidToken("The access token is malformed") },
];

describe("every bad token gets the exact RFC 6750 answer in each adapter", () => {
  for (const bad of BAD_TOKENS) {
    it(bad.name, async () => {
      const token = await bad.token();
      for (const f of frameworks) assert.deepEqual(await call(f.url, { authorization: `Bearer ${token}` }), bad.answer, f.name);
    });
  }
  it("HS256 keyed with an RSA public key (PEM), against an RS256 issuer", async () => {
    const key = rsaIssuer.keys[0]!;
    const pem = createPublicKey({ key: key.publicJwk as JsonWebKey, format: "jwk" }).export({ format: "pem", type: "spki" });
    const token = await new SignJWT({ iss: rsaIssuer.issuer, aud: AUDIENCE, sub: "x", client_id: "x", jti: "j" })
      .setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "at+jwt" })
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(pem.toString()));
    for (const f of rsaFrameworks) {
      assert.deepEqual(
        await call(f.url, { authorization: `Bearer ${token}` }),
        invalidToken("The access token is signed with an algorithm this API does not accept"),
        f.name,
      );
    }
    // The same issuer's real RS256 token is fine: the refusal is the algorithm's.
    for (const f of rsaFrameworks) assert.equal((await call(f.url, { authorization: `Bearer ${await rsaIssuer.token()}` })).status, 200, f.name);
  });
});

describe("requests", () => {
  it("a good token gets through, with its claims and scopes", async () => {
    const token = await issuer.token();
    for (const f of frameworks) {
      assert.deepEqual(
        await call(f.url, { authorization: `Bearer ${token}` }),
        { status: 200, challenge: null, body: { client_id: "client-1", scopes: ["read:things", "write:things"], scheme: "Bearer" } },
        f.name,
      );
    }
  });
  it("the scheme name is case-insensitive (RFC 7235 §2.1)", async () => {
    const token = await issuer.token();
    for (const f of frameworks) assert.equal((await call(f.url, { authorization: `bearer ${token}` })).status, 200, f.name);
  });
  it("no credentials: 401 with a bare Bearer challenge and no error code (RFC 6750 §3.1)", async () => {
    const expected = { status: 401, challenge: "Bearer", body: { error_description: "An access token is required" } };
    for (const f of frameworks) {
      assert.deepEqual(await call(f.url), expected, f.name);
      assert.deepEqual(await call(f.url, { authorization: "Basic Y2xpZW50OnNlY3JldA==" }), expected, `${f.name}, Basic credentials`);
    }
  });
  it("a malformed Authorization header: 400 invalid_request", async () => {
    const description = "The Authorization header is not of the form Bearer <token>";
    for (const value of ["Bearer", "Bearer a b", "Bearer ä"]) {
      for (const f of frameworks) {
        assert.deepEqual(
          await call(f.url, { authorization: value }),
          {
            status: 400,
            challenge: `Bearer error="invalid_request", error_description="${description}"`,
            body: { error: "invalid_request", error_description: description },
          },
          `${f.name}: ${value}`,
        );
      }
    }
  });
  it("a token without a required scope: 403 insufficient_scope naming the scopes needed", async () => {
    const token = await issuer.token({ scope: "read:things write:things" });
    const description = "The access token lacks the scope admin";
    for (const f of scoped) {
      assert.deepEqual(
        await call(f.url, { authorization: `Bearer ${token}` }),
        {
          status: 403,
          challenge: `Bearer error="insufficient_scope", error_description="${description}", scope="write:things admin"`,
          body: { error: "insufficient_scope", error_description: description, scope: "write:things admin" },
        },
        f.name,
      );
    }
    const enough = await issuer.token({ scope: "admin write:things" });
    for (const f of scoped) assert.equal((await call(f.url, { authorization: `Bearer ${enough}` })).status, 200, f.name);
  });
  it("the realm, when configured, comes first in every challenge", async () => {
    for (const f of withRealm) {
      assert.equal((await call(f.url)).challenge, 'Bearer realm="things"', f.name);
      assert.equal(
        (await call(f.url, { authorization: `Bearer ${await issuer.token({ aud: "x" })}` })).challenge,
        'Bearer realm="things", error="invalid_token", error_description="The access token is for another audience"',
        f.name,
      );
    }
  });
});

describe("configuration", () => {
  it("refuses HMAC and none in algorithms: a public key must never be usable as a shared secret", () => {
    for (const algorithms of [["HS256"], ["RS256", "none"], []]) {
      assert.throws(() => createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, algorithms }), TypeError, JSON.stringify(algorithms));
    }
  });
  it("an algorithm outside the configured list is refused even with a valid signature", async () => {
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, algorithms: ["RS256"] });
    await assert.rejects(verifier.verify(await issuer.token()), {
      code: "invalid_token",
      description: "The access token is signed with an algorithm this API does not accept",
    });
  });
  it("a key set that cannot be fetched is a 503, not an invalid token", async () => {
    const gone = await startIssuer();
    const token = await gone.token();
    await gone.close();
    const unreachable = await startFrameworks(createVerifier({ issuer: gone.issuer, audience: AUDIENCE }));
    try {
      for (const f of unreachable) {
        const res = await fetch(`${f.url}/things`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 503, f.name);
        assert.equal(res.headers.get("www-authenticate"), null, f.name);
        assert.equal(res.headers.get("retry-after"), "5", f.name);
        assert.deepEqual(await res.json(), { error: "temporarily_unavailable", error_description: "The issuer's keys cannot be fetched" }, f.name);
      }
    } finally {
      for (const f of unreachable) await f.close();
    }
  });
  it("an issuer whose metadata names another issuer is not trusted", async () => {
    const verifier = createVerifier({ issuer: `${issuer.issuer}/`, audience: AUDIENCE });
    await assert.rejects(verifier.verify(await issuer.token({ iss: `${issuer.issuer}/` })), { code: "temporarily_unavailable" });
  });
  it("a token signed with EdDSA or PS256 verifies with the default algorithms", async () => {
    const edIssuer = await startIssuer({ algs: ["EdDSA", "PS256"] });
    try {
      const verifier = createVerifier({ issuer: edIssuer.issuer, audience: AUDIENCE });
      for (const key of edIssuer.keys) assert.equal((await verifier.verify(await edIssuer.token({}, { key }))).client_id, "client-1", key.alg);
    } finally {
      await edIssuer.close();
    }
  });
});
