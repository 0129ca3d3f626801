import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { beforeEach, describe, it } from "node:test";
import { SignJWT, base64url } from "jose";
import { assertedClientId, decodeAssertion, MAX_ASSERTION_LENGTH, readAssertionParams, verifyClientAssertion, JWT_BEARER } from "./client-assertion";
import { InvalidClient, InvalidRequest } from "./errors";
import { RefusedAssertion } from "./refusal";
import { forgetUses } from "./replay";
import type { CachedClient, CachedKey, TenantSnapshot } from "./store";

const ISSUER = "https://grantry.example/t/acme";
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const otherEc = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });

const key = (id: string, kid: string, publicKey: KeyObject, expiresAt: number | null = null): CachedKey => ({
  id,
  kid,
  alg: undefined,
  key: publicKey,
  expiresAt,
});
const client = (clientId: string, keys: CachedKey[], enabled = true): CachedClient => ({
  applicationId: `app-${clientId}`,
  clientId,
  enabled,
  secrets: [],
  keys,
  federated: [],
  keyUris: [],
  assertionsOnly: false,
  dpopRequired: false,
  quota: null,
});
const snapshot = {
  clients: new Map([
    ["svc", client("svc", [key("set-ec", "ec-1", ec.publicKey), key("set-ed", "ed-1", ed.publicKey), key("set-rsa", "rsa-1", rsa.publicKey)])],
    ["other", client("other", [key("set-other", "other-1", stranger.publicKey)])],
    ["lapsed", client("lapsed", [key("set-old", "old-1", ec.publicKey, Date.now() - 1000)])],
    // Eleven EC keys: an assertion without a kid would cost eleven verifications.
    ["many", client("many", [...Array.from({ length: 10 }, (_, i) => key(`set-${i}`, `k${i}`, otherEc.publicKey)), key("set-ec", "ec-1", ec.publicKey)])],
  ]),
} as unknown as TenantSnapshot;

type Claims = Record<string, unknown>;
async function sign(privateKey: KeyObject, alg: string, claims: Claims = {}, header: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: "svc", sub: "svc", aud: ISSUER, jti: randomUUID(), iat: now, exp: now + 60, ...claims })
    .setProtectedHeader({ alg, ...header })
    .sign(privateKey);
}
const verify = (assertion: string, clientId = "svc") => verifyClientAssertion(decodeAssertion(assertion), clientId, snapshot, ISSUER);
async function refusal(assertion: string, clientId = "svc"): Promise<string> {
  try {
    assertedClientId(decodeAssertion(assertion));
    await verify(assertion, clientId);
  } catch (error) {
    assert.ok(error instanceof InvalidClient, String(error));
    return error.message;
  }
  assert.fail("accepted");
}

beforeEach(() => forgetUses());

describe("verifyClientAssertion (RFC 7523 §3)", () => {
  it("accepts ES256, EdDSA (also named Ed25519), RS256 and PS256 assertions and names the key set that signed", async () => {
    assert.equal((await verify(await sign(ec.privateKey, "ES256"))).keyId, "set-ec");
    assert.equal((await verify(await sign(ed.privateKey, "EdDSA"))).keyId, "set-ed");
    assert.equal((await verify(await sign(ed.privateKey, "Ed25519"))).keyId, "set-ed");
    assert.equal((await verify(await sign(rsa.privateKey, "RS256"))).keyId, "set-rsa");
    assert.equal((await verify(await sign(rsa.privateKey, "PS256", {}, { kid: "rsa-1" }))).keyId, "set-rsa");
  });

  it("accepts the token endpoint's URL, under either path, as the audience", async () => {
    for (const aud of [`${ISSUER}/oauth/token`, `${ISSUER}/oauth/m2m/token`, [ISSUER, "https://elsewhere"]]) {
      assert.equal((await verify(await sign(ec.privateKey, "ES256", { aud }))).keyId, "set-ec");
    }
  });

  it("refuses a replayed jti", async () => {
    const assertion = await sign(ec.privateKey, "ES256");
    await verify(assertion);
    assert.match(await refusal(assertion), /"jti" was already used/);
  });

  it("refuses what the claims rule out, each for its reason", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Claims, RegExp]> = [
      [{ exp: now - 120 }, /expired/],
      [{ nbf: now + 600, exp: now + 660 }, /not valid yet/],
      [{ iat: now + 600, exp: now + 660 }, /"iat" is in the future/],
      [{ exp: now + 3600 }, /more than 300 seconds ahead/],
      [{ aud: "https://grantry.example/t/other" }, /"aud" must be/],
      [{ aud: undefined }, /"aud"/],
      [{ jti: undefined }, /"jti" is missing/],
      [{ jti: "x".repeat(300) }, /"jti" must be a string of 1 to 256/],
      [{ exp: undefined }, /"exp" is missing/],
    ];
    for (const [claims, reason] of cases) assert.match(await refusal(await sign(ec.privateKey, "ES256", claims)), reason, JSON.stringify(claims));
  });

  it("bounds the signatures one assertion costs: past ten candidate keys, a kid must name one", async () => {
    assert.match(await refusal(await sign(ec.privateKey, "ES256", { iss: "many", sub: "many" }), "many"), /more than 10 .* name the key with "kid"/);
    assert.equal((await verify(await sign(ec.privateKey, "ES256", { iss: "many", sub: "many" }, { kid: "ec-1" }), "many")).keyId, "set-ec");
  });

  it("refuses an iss or sub that is not the client id", async () => {
    assert.match(await refusal(await sign(ec.privateKey, "ES256", { sub: "someone-else" })), /"iss" and "sub" must both be the client id/);
    assert.match(await refusal(await sign(ec.privateKey, "ES256", { iss: "other", sub: "other" }), "svc"), /"iss"|signature|no live/);
  });

  it("refuses alg none and HS256 signed with the application's public key", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = base64url.encode(JSON.stringify({ iss: "svc", sub: "svc", aud: ISSUER, jti: randomUUID(), exp: now + 60 }));
    const none = `${base64url.encode(JSON.stringify({ alg: "none" }))}.${claims}.`;
    assert.match(await refusal(none), /"alg" "none" is not accepted/);
    const pem = ec.publicKey.export({ type: "spki", format: "pem" }) as string;
    const hs = await new SignJWT({ iss: "svc", sub: "svc", aud: ISSUER, jti: randomUUID(), exp: now + 60 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(pem));
    assert.match(await refusal(hs), /"alg" "HS256" is not accepted/);
  });

  it("refuses a key of another application, an unknown kid, a lapsed key set and an unknown client", async () => {
    assert.match(await refusal(await sign(stranger.privateKey, "ES256")), /signature does not verify/);
    assert.match(await refusal(await sign(ec.privateKey, "ES256", {}, { kid: 7 })), /"kid" must be a string/);
    assert.match(await refusal(await sign(ec.privateKey, "ES256", {}, { kid: "other-1" })), /no live ES256 key of this application has the kid "other-1"/);
    assert.match(await refusal(await sign(ec.privateKey, "ES256", { iss: "lapsed", sub: "lapsed" }), "lapsed"), /no live ES256 key/);
    assert.match(await refusal(await sign(ec.privateKey, "ES256", { iss: "ghost", sub: "ghost" }), "ghost"), /no live ES256 key/);
  });

  it("gives each refusal the reason code the token log keeps", async () => {
    const now = Math.floor(Date.now() / 1000);
    const used = await sign(ec.privateKey, "ES256");
    await verify(used);
    const none = `${base64url.encode('{"alg":"none"}')}.${base64url.encode(JSON.stringify({ iss: "svc", sub: "svc" }))}.`;
    const cases: Array<[string, string, string]> = [
      ["not-a-jwt", "svc", "malformed"],
      [await sign(ec.privateKey, "ES256", { jti: undefined }), "svc", "malformed"],
      [none, "svc", "bad_algorithm"],
      [await sign(ec.privateKey, "ES256", { sub: "someone-else" }), "svc", "subject_mismatch"],
      [await sign(ec.privateKey, "ES256", {}, { kid: "other-1" }), "svc", "unknown_key"],
      [await sign(ec.privateKey, "ES256", { iss: "many", sub: "many" }), "many", "unknown_key"],
      [await sign(stranger.privateKey, "ES256"), "svc", "bad_signature"],
      [await sign(ec.privateKey, "ES256", { aud: "https://elsewhere" }), "svc", "audience_mismatch"],
      [await sign(ec.privateKey, "ES256", { exp: now - 120 }), "svc", "expired"],
      [await sign(ec.privateKey, "ES256", { exp: now + 3600 }), "svc", "not_yet_valid"],
      [used, "svc", "replayed"],
    ];
    for (const [assertion, clientId, reason] of cases) {
      await assert.rejects(
        async () => {
          assertedClientId(decodeAssertion(assertion)); // what the endpoint reads before the keys
          await verify(assertion, clientId);
        },
        (error) => error instanceof RefusedAssertion && error.reason === reason,
        `${reason}: ${assertion.slice(0, 40)}`,
      );
    }
  });

  it("refuses an oversized assertion and one that is not a JWT before any key work", async () => {
    assert.match(await refusal("a".repeat(MAX_ASSERTION_LENGTH + 1)), /longer than/);
    assert.match(await refusal("not-a-jwt"), /not a signed JWT/);
  });
});

describe("readAssertionParams (RFC 7521 §4.2)", () => {
  it("needs both parameters and the JWT bearer type", () => {
    assert.equal(readAssertionParams(undefined, undefined), null);
    assert.equal(readAssertionParams(JWT_BEARER, "a.b.c"), "a.b.c");
    assert.throws(() => readAssertionParams(JWT_BEARER, undefined), InvalidRequest);
    assert.throws(() => readAssertionParams(undefined, "a.b.c"), InvalidRequest);
    assert.throws(() => readAssertionParams("urn:ietf:params:oauth:client-assertion-type:saml2-bearer", "a.b.c"), InvalidClient);
  });
});
