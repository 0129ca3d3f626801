import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { SignJWT, calculateJwkThumbprint, exportJWK } from "jose";
import { OAuthError } from "./errors";
import { currentDpopNonce, dpopCacheStats, isFreshDpopNonce, jwkThumbprint, MAX_PROOF_LENGTH, normaliseHtu, readDpopHeader, verifyDpopProof } from "./dpop";

const URL_ = "https://auth.example.com/t/acme/oauth/token";
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
// Exponent 3: each verification of a hostile key must not be made slow.
const rsa3 = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 3 });
const check = { url: URL_, method: "POST", nonces: false };

async function proof(
  key: { privateKey: KeyObject; publicKey: KeyObject },
  alg: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const jwk = await exportJWK(key.publicKey);
  return new SignJWT({ htm: "POST", htu: URL_, iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg, typ: "dpop+jwt", jwk, ...header })
    .sign(key.privateKey);
}

async function refusal(promise: Promise<unknown>): Promise<{ error: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OAuthError, String(error));
    return { error: error.error, message: error.message };
  }
  assert.fail("the proof was accepted");
}

describe("verifyDpopProof", () => {
  it("accepts ES256, EdDSA, RS256 and PS256 proofs and returns the RFC 7638 thumbprint", async () => {
    for (const [key, alg] of [
      [ec, "ES256"],
      [ed, "EdDSA"],
      [rsa, "RS256"],
      [rsa, "PS256"],
    ] as const) {
      const { jkt } = await verifyDpopProof(await proof(key, alg), check);
      assert.equal(jkt, await calculateJwkThumbprint(await exportJWK(key.publicKey), "sha256"), alg);
    }
  });

  it("compares htu normalised, ignoring query and fragment", async () => {
    await verifyDpopProof(await proof(ec, "ES256", { htu: "HTTPS://Auth.Example.com:443/t/acme/oauth/token?x=1#f" }), check);
    assert.equal(normaliseHtu("http://a.test:80/p?q"), "http://a.test/p");
    // The server's own URL written otherwise: normalised on both sides, not compared as text.
    await verifyDpopProof(await proof(ec, "ES256", { htu: URL_ }), { ...check, url: "HTTPS://AUTH.example.com:443/t/acme/oauth/token" });
  });

  it("accepts htu only as this URL: not with a trailing slash or more after it", async () => {
    for (const htu of [`${URL_}/`, `${URL_}x`, URL_.replace("https:", "http:")]) {
      assert.match((await refusal(verifyDpopProof(await proof(ec, "ES256", { htu }), check))).message, /"htu" must be/, htu);
    }
  });

  it("checks every proof from a known key in full: a cached key is not a pass for a proof it did not sign", async () => {
    const known = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jkt = await calculateJwkThumbprint(await exportJWK(known.publicKey), "sha256");
    for (let i = 0; i < 2; i++) assert.equal((await verifyDpopProof(await proof(known, "ES256"), check)).jkt, jkt);
    const forged = await proof(ec, "ES256", {}, { jwk: await exportJWK(known.publicKey) });
    assert.match((await refusal(verifyDpopProof(forged, check))).message, /signature does not verify with its "jwk"/);
    const withPrivate = await proof(known, "ES256", {}, { jwk: await exportJWK(known.privateKey) });
    assert.match((await refusal(verifyDpopProof(withPrivate, check))).message, /private members \(d\)/);
    // A refused key is not remembered as a good one: refused again, for the same reason.
    for (let i = 0; i < 2; i++) assert.match((await refusal(verifyDpopProof(await proof(rsa3, "RS256"), check))).message, /exponent must be 65537/);
  });

  it("remembers a header once a proof carrying it verified, and checks the rest of each later proof in full", async () => {
    const known = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = await exportJWK(known.publicKey);
    const first = await proof(known, "ES256");
    const [segment] = first.split(".");
    // A header is not remembered from a proof that does not verify, nor from a refused header.
    await refusal(verifyDpopProof(await proof(ec, "ES256", {}, { jwk }), check));
    await refusal(verifyDpopProof(await proof(known, "ES256", { htm: "GET" }), check));
    await refusal(verifyDpopProof(await proof(known, "ES256", {}, { typ: "JWT" }), check));
    const before = dpopCacheStats();
    await verifyDpopProof(first, check);
    assert.equal(dpopCacheStats().headers, before.headers + 1);
    assert.equal(dpopCacheStats().headerHits, before.headerHits);
    const jkt = await calculateJwkThumbprint(jwk, "sha256");
    assert.equal((await verifyDpopProof(await proof(known, "ES256"), check)).jkt, jkt);
    assert.equal(dpopCacheStats().headerHits, before.headerHits + 1, "the second proof's header was found remembered");
    assert.equal(dpopCacheStats().headers, before.headers + 1);

    const claims = (c: object = {}) =>
      Buffer.from(JSON.stringify({ htm: "POST", htu: URL_, iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ...c })).toString("base64url");
    // The same header segment, signed by another key: the signature is still verified.
    const byOther = await proof(ec, "ES256", {}, { jwk });
    assert.equal(byOther.split(".")[0], segment);
    assert.match((await refusal(verifyDpopProof(byOther, check))).message, /signature does not verify/);
    const [, body, signature] = (await proof(known, "ES256")).split(".");
    const cases: Array<[string, RegExp]> = [
      [`${segment}.${claims()}.`, /not a signed JWT/],
      [`${segment}.bm9wZQ.c2ln`, /payload is not base64url-encoded JSON/],
      [`${segment}.${claims({ htm: "GET" })}.c2ln`, /"htm" must be "POST"/],
      [`${segment}.${body}=.${signature}`, /not a signed JWT/],
      [`${segment}.${body}.${signature}!`, /not a signed JWT/],
      [`${segment}.${body}.${signature}.x`, /not a signed JWT/],
      [`${segment}!.${body}.${signature}`, /not a signed JWT/],
    ];
    for (const [input, message] of cases) assert.match((await refusal(verifyDpopProof(input, check))).message, message, input);
  });

  it("checks a header too long to remember in full each time", async () => {
    const padded = { pad: "p".repeat(2_000) };
    const before = dpopCacheStats();
    for (let i = 0; i < 2; i++) await verifyDpopProof(await proof(ec, "ES256", {}, padded), check);
    assert.deepEqual(dpopCacheStats(), before);
    const wrongTyp = await proof(ec, "ES256", {}, { ...padded, typ: "JWT" });
    assert.match((await refusal(verifyDpopProof(wrongTyp, check))).message, /"typ" must be "dpop\+jwt"/);
  });

  it("remembers at most 1,000 headers, however many spellings of one key's header arrive, the oldest going first", async () => {
    for (let i = 0; i < 1_100; i++) await verifyDpopProof(await proof(ec, "ES256", {}, { spelling: i }), check);
    const { headers, keys, headerHits } = dpopCacheStats();
    assert.equal(headers, 1_000);
    assert.ok(keys <= 10_000, `${keys} keys`);
    await verifyDpopProof(await proof(ec, "ES256", {}, { spelling: 1_099 }), check);
    assert.equal(dpopCacheStats().headerHits, headerHits + 1, "the newest is remembered");
    await verifyDpopProof(await proof(ec, "ES256", {}, { spelling: 0 }), check);
    assert.equal(dpopCacheStats().headerHits, headerHits + 1, "the oldest was let go");
  });

  it("refuses a key spelt with padding or leading zeros past its size, which would be another cache entry for the same key", async () => {
    const ecJwk = await exportJWK(ec.publicKey);
    const rsaJwk = await exportJWK(rsa.publicKey);
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ["EC x padded", { ...ecJwk, x: `${ecJwk.x}=` }, "ES256", /member "x" must be base64url of at most 43 characters/],
      ["EC y with leading zeros", { ...ecJwk, y: `AAAA${ecJwk.y}` }, "ES256", /member "y" must be base64url of at most 43 characters/],
      ["RSA n with 5,000 leading zeros", { ...rsaJwk, n: `${"A".repeat(5000)}${rsaJwk.n}` }, "RS256", /member "n" must be base64url of at most 684 characters/],
      ["RSA e with junk", { ...rsaJwk, e: "AQAB!" }, "RS256", /member "e" must be base64url/],
    ];
    for (const [name, jwk, alg, message] of cases) {
      const key = alg === "ES256" ? ec : rsa;
      assert.match((await refusal(verifyDpopProof(await proof(key, alg, {}, { jwk }), check))).message, message, name);
    }
  });

  it("refuses each bad proof with invalid_dpop_proof and a precise description", async () => {
    const cases: Array<[string, Promise<string> | string, RegExp]> = [
      ["another URL", proof(ec, "ES256", { htu: "https://auth.example.com/t/other/oauth/token" }), /"htu" must be/],
      ["another method", proof(ec, "ES256", { htm: "GET" }), /"htm" must be "POST"/],
      ["old iat", proof(ec, "ES256", { iat: Math.floor(Date.now() / 1000) - 300 }), /seconds old/],
      ["future iat", proof(ec, "ES256", { iat: Math.floor(Date.now() / 1000) + 300 }), /in the future/],
      ["no iat", proof(ec, "ES256", { iat: undefined }), /"iat" is missing/],
      ["no jti", proof(ec, "ES256", { jti: undefined }), /"jti" must be/],
      ["long jti", proof(ec, "ES256", { jti: "j".repeat(257) }), /"jti" must be/],
      ["wrong typ", proof(ec, "ES256", {}, { typ: "JWT" }), /"typ" must be "dpop\+jwt"/],
      ["wrong key type", proof(ec, "ES256", {}, { jwk: { kty: "OKP", crv: "Ed25519", x: "AAAA" } }), /ES256 needs a EC P-256 key/],
      ["no jwk", proof(ec, "ES256", {}, { jwk: undefined }), /"jwk" object/],
      ["not a JWS", "a.b", /not a signed JWT/],
      ["RSA exponent 3", proof(rsa3, "RS256"), /exponent must be 65537/],
      ["garbage header", "!!.e30.c2ln", /not a signed JWT/],
      ["header not JSON", "bm9wZQ.e30.c2ln", /header is not base64url-encoded JSON/],
      ["oversized", "a".repeat(MAX_PROOF_LENGTH + 1), /longer than 8192/],
    ];
    for (const [name, make, description] of cases) {
      const { error, message } = await refusal(verifyDpopProof(await make, check));
      assert.equal(error, "invalid_dpop_proof", name);
      assert.match(message, description, name);
    }
  });

  it("refuses a private key in the header", async () => {
    const jwk = await exportJWK(ec.privateKey);
    const signed = await new SignJWT({ htm: "POST", htu: URL_, iat: Math.floor(Date.now() / 1000), jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
      .sign(ec.privateKey);
    assert.match((await refusal(verifyDpopProof(signed, check))).message, /private members \(d\)/);
  });

  it("refuses alg none, HS256, and a signature by another key", async () => {
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString("base64url");
    const body = Buffer.from(JSON.stringify({ htm: "POST", htu: URL_, iat: Math.floor(Date.now() / 1000), jti: "x" })).toString("base64url");
    const jwk = await exportJWK(ec.publicKey);
    assert.match((await refusal(verifyDpopProof(`${header({ alg: "none", typ: "dpop+jwt", jwk })}.${body}.`, check))).message, /not a signed JWT/);
    assert.match((await refusal(verifyDpopProof(`${header({ alg: "none", typ: "dpop+jwt", jwk })}.${body}.c2ln`, check))).message, /"alg" "none"/);
    assert.match((await refusal(verifyDpopProof(`${header({ alg: "HS256", typ: "dpop+jwt", jwk })}.${body}.c2ln`, check))).message, /"alg" "HS256"/);
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const forged = await proof(other, "ES256", {}, { jwk });
    assert.match((await refusal(verifyDpopProof(forged, check))).message, /signature does not verify/);
  });

  it("refuses a replayed proof", async () => {
    const once = await proof(ec, "ES256");
    await verifyDpopProof(once, check);
    assert.match((await refusal(verifyDpopProof(once, check))).message, /"jti" was already used/);
  });
});

describe("DPoP nonces", () => {
  it("accepts the current and the previous slot's nonce, not older or forged ones", () => {
    const now = Date.now();
    assert.ok(isFreshDpopNonce(currentDpopNonce(now), now));
    assert.ok(isFreshDpopNonce(currentDpopNonce(now - 5 * 60_000), now));
    assert.ok(!isFreshDpopNonce(currentDpopNonce(now - 11 * 60_000), now));
    const [slot] = currentDpopNonce(now).split(".");
    assert.ok(!isFreshDpopNonce(`${slot}.${"A".repeat(22)}`, now));
    assert.ok(!isFreshDpopNonce("garbage", now));
  });

  it("asks for a nonce when none or a stale one is sent, and accepts a fresh one", async () => {
    const on = { ...check, nonces: true };
    const missing = await refusal(verifyDpopProof(await proof(ec, "ES256"), on));
    assert.equal(missing.error, "use_dpop_nonce");
    const stale = await refusal(verifyDpopProof(await proof(ec, "ES256", { nonce: currentDpopNonce(Date.now() - 20 * 60_000) }), on));
    assert.equal(stale.error, "use_dpop_nonce");
    await verifyDpopProof(await proof(ec, "ES256", { nonce: currentDpopNonce() }), on);
  });
});

describe("readDpopHeader", () => {
  it("refuses two DPoP headers and an empty one", () => {
    assert.equal(readDpopHeader({}), undefined);
    assert.equal(readDpopHeader({ dpop: "a.b.c" }), "a.b.c");
    assert.throws(() => readDpopHeader({ dpop: "a.b.c, d.e.f" }), /exactly one DPoP header/);
    assert.throws(() => readDpopHeader({ dpop: ["a.b.c", "d.e.f"] }), /exactly one DPoP header/);
    assert.throws(() => readDpopHeader({ dpop: " " }), /empty/);
  });

  it("computes RFC 7638's example thumbprint", () => {
    const jwk = {
      kty: "RSA",
      n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
      e: "AQAB",
      alg: "RS256",
      kid: "2011-04-29",
    };
    assert.equal(jwkThumbprint(jwk), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  });
});
