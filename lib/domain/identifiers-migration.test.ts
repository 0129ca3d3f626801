// The migration that backfills Api.canonicalIdentifier computes in SQL what
// canonicalIdentifier() computes in TypeScript; collisions keep the older row.
import assert from "node:assert/strict";
import fs from "node:fs";
import { it } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { canonicalIdentifier } from "./identifiers";

const MIGRATION = "prisma/migrations/20261205060000_api_canonical_identifier/migration.sql";

it("the backfill agrees with canonicalIdentifier() and leaves the newer of two colliding rows NULL", async () => {
  const db = new PGlite();
  try {
    await db.exec(`CREATE TABLE "Api" ("id" text PRIMARY KEY, "tenantId" text, "identifier" text, "createdAt" timestamp)`);
    const rows: [string, string, string, string][] = [
      ["1", "t", "https://A.Example.com/v1/", "2020-01-01"],
      ["2", "t", "https://a.example.com:443/v1", "2020-01-02"],
      ["3", "t", "urn:x:Y", "2020-01-01"],
      ["4", "t", "HTTP://h:80//", "2020-01-01"],
      ["5", "u", "https://a.example.com/v1", "2020-01-01"],
      ["6", "t", "http://h:8080/p/?q=1/", "2020-01-01"],
      ["7", "t", "https://h.example.com:80/", "2020-01-01"],
      ["8", "t", "urn:grantry:management-api", "2020-01-01"],
    ];
    for (const row of rows) await db.query(`INSERT INTO "Api" VALUES ($1, $2, $3, $4)`, row);
    await db.exec(fs.readFileSync(MIGRATION, "utf8"));
    const stored = (await db.query<{ id: string; c: string | null }>(`SELECT "id", "canonicalIdentifier" AS c FROM "Api" ORDER BY "id"`)).rows;
    assert.deepEqual(
      stored.map((r) => r.c),
      rows.map(([id, , identifier]) => (id === "2" ? null : canonicalIdentifier(identifier))),
    );
    await assert.rejects(
      db.query(`INSERT INTO "Api" VALUES ('9', 't', 'x', now())`).then(() => db.query(`UPDATE "Api" SET "canonicalIdentifier" = 'urn:x:Y' WHERE "id" = '9'`)),
      /duplicate key/,
    );
  } finally {
    await db.close();
  }
});
