// The client signs its JWTs (private_key_jwt assertions, DPoP proofs) with
// node:crypto: every algorithm's output must verify with jose, and the key
// thumbprint must be RFC 7638's as jose computes it.
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify } from "jose";
import { jwkThumbprint, signerFor, signJwt, type SigningAlgorithm } from "../src/jws";

const KEYS: Array<[SigningAlgorithm, () => { privateKey: KeyObject }]> = [
  ["RS256", () => generateKeyPairSync("rsa", { modulusLength: 2048 })],
  ["RS512", () => generateKeyPairSync("rsa", { modulusLength: 2048 })],
  ["PS256", () => generateKeyPairSync("rsa", { modulusLength: 2048 })],
  ["ES256", () => generateKeyPairSync("ec", { namedCurve: "P-256" })],
  ["ES384", () => generateKeyPairSync("ec", { namedCurve: "P-384" })],
  ["ES512", () => generateKeyPairSync("ec", { namedCurve: "P-521" })],
  ["EdDSA", () => generateKeyPairSync("ed25519")],
];

describe("signJwt", () => {
  for (const [alg, make] of KEYS) {
    it(`${alg}: verifies with jose, and the thumbprint is RFC 7638's`, async () => {
      const { privateKey } = make();
      const signer = signerFor(privateKey, alg);
      const token = signJwt(signer, { typ: "JWT", kid: "k" }, { iss: "me", n: 1 });
      const jwks = createLocalJWKSet({ keys: [{ ...signer.publicJwk, kid: "k", alg }] });
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: [alg] });
      assert.equal(protectedHeader.alg, alg);
      assert.deepEqual(payload, { iss: "me", n: 1 });
      assert.equal(jwkThumbprint(signer.publicJwk), await calculateJwkThumbprint(signer.publicJwk));
    });
  }
  it("picks the usual algorithm for a key, from a PEM or a JWK too", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
    assert.equal(signerFor(ec).alg, "ES384");
    assert.equal(signerFor(ec.export({ format: "pem", type: "pkcs8" }).toString()).alg, "ES384");
    assert.equal(signerFor(generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" })).alg, "EdDSA");
  });
  it("refuses an algorithm the key cannot make, and a public key", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    assert.throws(() => signerFor(ec.privateKey, "ES384"), /cannot sign ES384/);
    assert.throws(() => signerFor(ec.privateKey, "RS256"), /cannot sign RS256/);
    assert.throws(() => signerFor(ec.publicKey), /private key/);
  });
});
