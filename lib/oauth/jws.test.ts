import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyObject } from "node:crypto";
import { compactVerify, decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, importJWK, jwtVerify, SignJWT } from "jose";
import { decodeCompactJws, importSigningKey, signCompactJws, verifyCompactJws } from "./jws";
import { SIGNING_ALGORITHMS } from "./access-token";

async function keyPair(alg: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  return { pkcs8: await exportPKCS8(privateKey), publicKey: await importJWK(await exportJWK(publicKey), alg) };
}

describe("signCompactJws", () => {
  for (const alg of SIGNING_ALGORITHMS) {
    it(`signs ${alg} tokens that jose verifies, header and claims as given`, async () => {
      const { pkcs8, publicKey } = await keyPair(alg);
      const claims = {
        iss: "https://issuer",
        sub: "c1",
        aud: "https://api",
        iat: 1_700_000_000,
        exp: 4_000_000_000,
        jti: "j",
        client_id: "c1",
        scope: "a b",
        gty: "client-credentials",
      };
      const token = await signCompactJws({ alg, kid: "k1", typ: "at+jwt" }, claims, importSigningKey(pkcs8, alg));
      const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
        algorithms: [alg],
        typ: "at+jwt",
        issuer: "https://issuer",
        audience: "https://api",
      });
      assert.deepEqual(protectedHeader, { alg, kid: "k1", typ: "at+jwt" });
      assert.deepEqual(payload, claims);
    });
  }

  it("keeps non-ASCII claims intact (UTF-8 JSON, base64url)", async () => {
    const { pkcs8, publicKey } = await keyPair("ES256");
    const token = await signCompactJws({ alg: "ES256" }, { scope: "lire:données" }, importSigningKey(pkcs8, "ES256"));
    const { payload } = await compactVerify(token, publicKey);
    assert.equal(JSON.parse(new TextDecoder().decode(payload)).scope, "lire:données");
    assert.deepEqual(decodeProtectedHeader(token), { alg: "ES256" });
  });
});

describe("importSigningKey", () => {
  it("refuses a key of another kind than the algorithm signs with", async () => {
    const rsa = (await keyPair("RS256")).pkcs8;
    const ed = (await keyPair("EdDSA")).pkcs8;
    const p384 = (await keyPair("ES384")).pkcs8;
    assert.throws(() => importSigningKey(rsa, "ES256"), /rsa key cannot sign ES256/);
    assert.throws(() => importSigningKey(p384, "ES256"), /ec key cannot sign ES256/);
    assert.throws(() => importSigningKey(ed, "RS256"), /ed25519 key cannot sign RS256/);
    assert.throws(() => importSigningKey(rsa, "EdDSA"), /rsa key cannot sign EdDSA/);
  });
});

describe("verifyCompactJws", () => {
  for (const alg of SIGNING_ALGORITHMS) {
    it(`verifies what jose signs with ${alg}, and nothing altered or signed by another key`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
      const other = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
      const token = await new SignJWT({ sub: "c1" }).setProtectedHeader({ alg }).sign(privateKey);
      const key = KeyObject.from(publicKey);
      assert.equal(await verifyCompactJws(decodeCompactJws(token), alg, key), true);
      assert.equal(await verifyCompactJws(decodeCompactJws(token), alg, KeyObject.from(other.publicKey)), false);
      const [h, , s] = token.split(".");
      const altered = `${h}.${Buffer.from('{"sub":"c2"}').toString("base64url")}.${s}`;
      assert.equal(await verifyCompactJws(decodeCompactJws(altered), alg, key), false);
    });
  }

  it("refuses a key of the wrong kind for the algorithm rather than trying it", async () => {
    const ec = await generateKeyPair("ES256", { extractable: true });
    const token = await new SignJWT({}).setProtectedHeader({ alg: "ES256" }).sign(ec.privateKey);
    assert.equal(await verifyCompactJws(decodeCompactJws(token), "RS256", KeyObject.from(ec.publicKey)), false);
  });

  it("names what is malformed", () => {
    assert.throws(() => decodeCompactJws("a.b"), /not a signed JWT/);
    assert.throws(() => decodeCompactJws(`${Buffer.from('{"alg":"ES256","crit":["b64"],"b64":false}').toString("base64url")}.e30.`), /"crit" extensions/);
    assert.throws(() => decodeCompactJws("a.b.c!"), /not a signed JWT/);
    assert.throws(() => decodeCompactJws(`${Buffer.from("[]").toString("base64url")}.e30.`), /header is not a JSON object/);
    assert.throws(() => decodeCompactJws(`e30.${Buffer.from("nope").toString("base64url")}.`), /payload is not base64url-encoded JSON/);
  });

  it("uses a header decoded before only for the segment it was decoded from", () => {
    const segment = Buffer.from('{"alg":"ES256"}').toString("base64url");
    const known = { segment, header: { alg: "ES256", remembered: true } };
    assert.equal(decodeCompactJws(`${segment}.e30.c2ln`, known).header, known.header);
    const other = Buffer.from('{"alg":"EdDSA"}').toString("base64url");
    assert.deepEqual(decodeCompactJws(`${other}.e30.c2ln`, known).header, { alg: "EdDSA" });
    assert.throws(() => decodeCompactJws(`${segment}.e30=.c2ln`, known), /not a signed JWT/);
  });
});
