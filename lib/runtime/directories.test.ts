import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { makeDirectory } from "./directories";

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "grantry-dirs-"));

test("creates missing parents with the mode asked", () => {
  const root = scratch();
  const dir = path.join(root, "a", "b");
  makeDirectory(dir, 0o700, "GRANTRY_DATA_DIR");
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  makeDirectory(dir, 0o700, "GRANTRY_DATA_DIR"); // already there: fine
});

test("a file in the way is named as such, not as a missing directory", () => {
  const root = scratch();
  fs.writeFileSync(path.join(root, "file"), "");
  assert.throws(() => makeDirectory(path.join(root, "file", "data"), 0o700, "GRANTRY_DATA_DIR"), {
    message: `GRANTRY_DATA_DIR ${path.join(root, "file", "data")}: ${path.join(root, "file")} exists and is not a directory`,
  });
  assert.throws(() => makeDirectory(path.join(root, "file"), 0o700, "GRANTRY_DATA_DIR"), /exists and is not a directory$/);
});
