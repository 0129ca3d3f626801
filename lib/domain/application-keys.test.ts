// The migration that gave existing applications their keys derives them in SQL
// as keyFromName() does in TypeScript (accents aside), and keeps them unique per tenant.
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { keyFromName } from "./application-keys";
import { applicationKeySchema } from "./schemas";

const MIGRATION = "prisma/migrations/20261210090000_application_key/migration.sql";

describe("keyFromName", () => {
  it("makes a valid key of any name", () => {
    for (const [name, key] of [
      ["Billing Service (EU)", "billing-service-eu"],
      ["  --Orders--  ", "orders"],
      ["Café crème", "cafe-creme"],
      ["日本語", "app"],
      ["x".repeat(80), "x".repeat(48)],
      [`${"a".repeat(47)} b`, "a".repeat(47)],
    ]) {
      assert.equal(keyFromName(name!), key, name);
      assert.ok(applicationKeySchema.safeParse(key).success, key);
    }
  });
});

it("the backfill derives keys as keyFromName() does and keeps them unique per tenant", async () => {
  const db = new PGlite();
  try {
    await db.exec(`CREATE TABLE "Application" ("id" text PRIMARY KEY, "tenantId" text, "name" text, "createdAt" timestamp)`);
    const rows: [string, string, string, string][] = [
      ["ckaaaaaaaaaaaaaaaaaaaaaaa1", "t", "Billing Service (EU)", "2020-01-01"],
      ["ckaaaaaaaaaaaaaaaaaaaaaaa2", "t", "billing service eu", "2020-01-02"],
      ["ckaaaaaaaaaaaaaaaaaaaaaaa3", "u", "Billing Service (EU)", "2020-01-03"],
      ["ckaaaaaaaaaaaaaaaaaaaaaaa4", "t", "!!!", "2020-01-01"],
      ["ckaaaaaaaaaaaaaaaaaaaaaaa5", "t", `${"a".repeat(47)} b`, "2020-01-01"],
    ];
    for (const row of rows) await db.query(`INSERT INTO "Application" VALUES ($1, $2, $3, $4)`, row);
    await db.exec(fs.readFileSync(MIGRATION, "utf8"));
    const stored = (await db.query<{ id: string; key: string }>(`SELECT "id", "key" FROM "Application" ORDER BY "id"`)).rows.map((r) => r.key);
    assert.deepEqual(stored, ["billing-service-eu", "billing-service-eu-aaaaaaaaa2", "billing-service-eu", "app", "a".repeat(47)]);
    assert.deepEqual(
      stored.slice(0, 1).concat(stored.slice(2)),
      [rows[0]!, rows[2]!, rows[3]!, rows[4]!].map((r) => keyFromName(r[2])),
    );
    for (const key of stored) assert.ok(applicationKeySchema.safeParse(key).success, key);
    await assert.rejects(db.query(`INSERT INTO "Application" VALUES ('x', 't', 'n', now(), 'app')`), /duplicate key|null value/);
  } finally {
    await db.close();
  }
});
