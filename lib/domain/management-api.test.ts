// Existing tenants get new Management API scopes from SQL data migrations:
// each scope a migration inserts must read exactly as MANAGEMENT_SCOPES does.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { MANAGEMENT_SCOPES } from "./management-api";

const MIGRATIONS = path.resolve("prisma", "migrations");

test("scopes inserted by data migrations match MANAGEMENT_SCOPES, name and description", () => {
  const wanted = new Map(MANAGEMENT_SCOPES.map((s) => [s.name, s.description]));
  let seen = 0;
  for (const dir of fs.readdirSync(MIGRATIONS)) {
    const file = path.join(MIGRATIONS, dir, "migration.sql");
    if (!fs.existsSync(file)) continue;
    const sql = fs.readFileSync(file, "utf8");
    if (!/INSERT INTO "Scope"/.test(sql)) continue;
    for (const [, name, description] of sql.matchAll(/\('([a-z]+:[a-z]+)', '((?:[^']|'')*)'\)/g)) {
      assert.equal(description!.replaceAll("''", "'"), wanted.get(name!), `${dir}: ${name}`);
      seen++;
    }
  }
  assert.ok(seen >= 5, `found ${seen} scopes in migrations`);
});
