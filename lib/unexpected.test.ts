import assert from "node:assert/strict";
import { test } from "node:test";
import { EncryptionKeyMismatch, encryptSecret, openSecret } from "./crypto";
import { describeUnexpected } from "./unexpected";

test("unexpected errors are logged by name and codes only, never by message", () => {
  const error = Object.assign(new Error("duplicate key value (hash)=(5e884898da28…)"), { code: "P2002" });
  assert.equal(describeUnexpected(error), "Error (P2002)");
  assert.equal(describeUnexpected("a string"), "string");
});

test("a wrong encryption key is named in the log, with what to configure", () => {
  const saved = { current: process.env.GRANTRY_ENCRYPTION_KEY, previous: process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS };
  const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
  try {
    process.env.GRANTRY_ENCRYPTION_KEY = Buffer.alloc(32, 1).toString("base64");
    const sealed = encryptSecret("private key");
    process.env.GRANTRY_ENCRYPTION_KEY = Buffer.alloc(32, 2).toString("base64");
    delete process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS;
    let thrown: unknown;
    try {
      openSecret(sealed);
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof EncryptionKeyMismatch);
    assert.equal(
      describeUnexpected(thrown),
      "EncryptionKeyMismatch: No configured encryption key opens this value (GRANTRY_ENCRYPTION_KEY / GRANTRY_ENCRYPTION_KEY_PREVIOUS)",
    );
    process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS = Buffer.alloc(32, 1).toString("base64");
    assert.equal(openSecret(sealed), "private key");
  } finally {
    restore("GRANTRY_ENCRYPTION_KEY", saved.current);
    restore("GRANTRY_ENCRYPTION_KEY_PREVIOUS", saved.previous);
  }
});
