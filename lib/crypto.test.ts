import assert from "node:assert/strict";
import { test } from "node:test";
import { decryptSecret, encryptSecret, generateClientId, generateClientSecret, hashPassword, hexDigestsEqual, parseEncryptionKey, sha256Hex, verifyPassword } from "./crypto";

const key = Buffer.alloc(32, 1);

test("client ids are 32 URL-safe characters and client secrets carry the scanning prefix", () => {
  assert.match(generateClientId(), /^[A-Za-z0-9]{32}$/);
  const secret = generateClientSecret();
  assert.match(secret, /^grantry_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(generateClientSecret(), secret);
});

test("hex digests compare in constant time and refuse different lengths", () => {
  const digest = sha256Hex("a");
  assert.equal(hexDigestsEqual(digest, sha256Hex("a")), true);
  assert.equal(hexDigestsEqual(digest, sha256Hex("b")), false);
  assert.equal(hexDigestsEqual(digest, digest.slice(0, 10)), false);
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
