import assert from "node:assert/strict";
import { test } from "node:test";
import { Secret, TOTP } from "otpauth";
import { matchingStep, normaliseCode } from "./mfa-totp";
import { normaliseRecoveryCode } from "./mfa-recovery";

const secret = new Secret({ size: 20 }).base32;
const codeAt = (ms: number) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: ms });
const NOW = Date.UTC(2026, 11, 5, 1, 0, 10);
const STEP = Math.floor(NOW / 30_000);

test("a current code matches its own time step", () => {
  assert.equal(matchingStep(secret, codeAt(NOW), NOW), STEP);
});

test("one step of clock drift either way is accepted and reported as that step", () => {
  assert.equal(matchingStep(secret, codeAt(NOW - 30_000), NOW), STEP - 1);
  assert.equal(matchingStep(secret, codeAt(NOW + 30_000), NOW), STEP + 1);
});

test("codes two steps away, of another secret, or wrong digits are refused", () => {
  assert.equal(matchingStep(secret, codeAt(NOW - 60_000), NOW), null);
  assert.equal(matchingStep(secret, codeAt(NOW + 60_000), NOW), null);
  const other = new TOTP({ secret: new Secret({ size: 20 }) }).generate({ timestamp: NOW });
  if (other !== codeAt(NOW)) assert.equal(matchingStep(secret, other, NOW), null);
  const wrong = String((Number(codeAt(NOW)) + 1) % 1_000_000).padStart(6, "0");
  assert.equal(matchingStep(secret, wrong, NOW), null);
});

test("normaliseCode accepts six digits with spaces and nothing else", () => {
  assert.equal(normaliseCode("123 456"), "123456");
  assert.equal(normaliseCode(" 123456 "), "123456");
  for (const bad of ["12345", "1234567", "12345a", "", "１２３４５６", null, 123456, { not: "" }, ["123456"]])
    assert.equal(normaliseCode(bad), null, String(bad));
});

test("normaliseRecoveryCode ignores case, dashes and spaces, refuses other shapes", () => {
  assert.equal(normaliseRecoveryCode("abcde-fghjk"), "ABCDE-FGHJK");
  assert.equal(normaliseRecoveryCode(" ABCDE FGHJK "), "ABCDE-FGHJK");
  for (const bad of ["ABCDE-FGHJ", "ABCDE-FGHJKL", "ABCDE_FGHJK", "x".repeat(100), null, 42, {}]) assert.equal(normaliseRecoveryCode(bad), null, String(bad));
});
