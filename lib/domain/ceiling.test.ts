import assert from "node:assert/strict";
import test from "node:test";
import { CeilingError, assertMayConferRole, assertWithinCeiling, beyondCeiling, mayConferRole, roleCeiling, scopeCeiling } from "./ceiling";
import { MANAGEMENT_SCOPES } from "./management-api";

test("a viewer holds nothing, an owner everything, an admin neither people, tenant nor keys", () => {
  assert.equal(roleCeiling("viewer").size, 0);
  assert.equal(roleCeiling("owner").size, MANAGEMENT_SCOPES.length);
  for (const s of ["read:users", "create:users", "update:users", "delete:users", "update:tenant", "rotate:keys"])
    assert.equal(roleCeiling("admin").has(s), false, s);
  for (const s of ["read:applications", "update:grants", "read:keys", "read:logs"]) assert.equal(roleCeiling("admin").has(s), true, s);
});

test("beyondCeiling names exactly what is missing, once and sorted", () => {
  assert.deepEqual(beyondCeiling(scopeCeiling(["read:apis"]), ["update:grants", "read:apis", "create:users", "update:grants"]), [
    "create:users",
    "update:grants",
  ]);
});

test("roles are conferred only by a ceiling that covers them", () => {
  assert.equal(mayConferRole(roleCeiling("owner"), "owner"), true);
  assert.equal(mayConferRole(roleCeiling("admin"), "admin"), true);
  assert.equal(mayConferRole(roleCeiling("admin"), "owner"), false);
  assert.equal(mayConferRole(roleCeiling("viewer"), "admin"), false);
  assert.throws(
    () => assertMayConferRole(roleCeiling("admin"), "owner"),
    (e: unknown) => e instanceof CeilingError && e.status === 403 && e.beyond.includes("update:users"),
  );
  assert.throws(() => assertWithinCeiling(scopeCeiling(["update:grants"]), ["create:users"]), CeilingError);
  assert.doesNotThrow(() => assertWithinCeiling(scopeCeiling(["update:grants"]), ["update:grants"]));
});
