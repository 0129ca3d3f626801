import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decryptSecret,
  encryptSecret,
  generateClientId,
  generateClientSecret,
  hashPassword,
  digestsEqual,
  randomTokenId,
  sha256Digest,
  parseEncryptionKey,
  sha256Hex,
  verifyPassword,
} from "./crypto";

const key = Buffer.alloc(32, 1);

test("client ids are 32 URL-safe characters and client secrets carry the scanning prefix", () => {
  assert.match(generateClientId(), /^[A-Za-z0-9]{32}$/);
  const secret = generateClientSecret();
  assert.match(secret, /^grantry_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(generateClientSecret(), secret);
});

test("secret digests: the stored hex is the compared bytes, and digests of other lengths never match", () => {
  const digest = sha256Digest("a");
  assert.equal(sha256Hex("a"), digest.toString("hex"));
  assert.equal(sha256Hex("a"), "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
  assert.equal(digestsEqual(digest, sha256Digest("a")), true);
  assert.equal(digestsEqual(digest, sha256Digest("b")), false);
  assert.equal(digestsEqual(digest, digest.subarray(0, 10)), false);
});

test("token ids are 128-bit base64url values, never repeated across pool refills", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) seen.add(randomTokenId());
  assert.equal(seen.size, 5000);
  for (const id of seen) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
});

test("AES-256-GCM round-trips and detects tampering or a wrong key", () => {
  const sealed = encryptSecret("private key", key);
  assert.equal(decryptSecret(sealed, key), "private key");
  assert.throws(() => decryptSecret(sealed, Buffer.alloc(32, 2)));
  const parts = sealed.split(".");
  parts[3] = Buffer.from("tampered").toString("base64url");
  assert.throws(() => decryptSecret(parts.join("."), key));
});

test("encryption keys must be 32 bytes", () => {
  assert.equal(parseEncryptionKey(key.toString("base64")).length, 32);
  assert.equal(parseEncryptionKey(key.toString("hex")).length, 32);
  assert.throws(() => parseEncryptionKey("too short"), /32 bytes/);
});

test("passwords hash with scrypt and verify", async () => {
  const hash = await hashPassword("correct horse battery staple");
  assert.match(hash, /^scrypt\$/);
  assert.equal(await verifyPassword("correct horse battery staple", hash), true);
  assert.equal(await verifyPassword("wrong", hash), false);
});
