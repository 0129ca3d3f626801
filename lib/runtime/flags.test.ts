import assert from "node:assert/strict";
import { test } from "node:test";
import { flag } from "./flags";

test("on/off settings: 1 and 0 only; anything else names the variable", () => {
  assert.equal(flag("GRANTRY_FAST_PATH", true, {}), true);
  assert.equal(flag("GRANTRY_FAST_PATH", true, { GRANTRY_FAST_PATH: "" }), true);
  assert.equal(flag("GRANTRY_FAST_PATH", true, { GRANTRY_FAST_PATH: "0" }), false);
  assert.equal(flag("GRANTRY_FAST_PATH", false, { GRANTRY_FAST_PATH: "1" }), true);
  for (const raw of ["false", "off", "no", "true", " 1"]) {
    assert.throws(() => flag("GRANTRY_FAST_PATH", true, { GRANTRY_FAST_PATH: raw }), new RegExp(`^Error: GRANTRY_FAST_PATH must be 1 or 0, not "${raw}"$`));
  }
});
