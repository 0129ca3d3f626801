-- Applications get a stable key, unique in their tenant: the handle a tenant
-- file (grants as code, docs/grants-as-code.md) names them by. Existing rows
-- get one derived from the name as lib/domain/application-keys.ts derives it
-- (lower-case ASCII letters and digits, other runs as one hyphen, at most 48
-- characters, "app" when nothing is left), except that accented letters are
-- dropped here where keyFromName() first strips their accents. Where several applications of a
-- tenant share that form, the oldest keeps it and each other one gets the end
-- of its id appended, which no other key of the tenant can hold.
-- No semicolon in these comments: the migration runner splits statements on them.
ALTER TABLE "Application" ADD COLUMN "key" TEXT;

WITH base AS (
  SELECT "id", "tenantId", "createdAt",
         left(regexp_replace(regexp_replace(lower("name"), '[^a-z0-9]+', '-', 'g'), '^-+|-+$', '', 'g'), 48) AS b
  FROM "Application"
), named AS (
  SELECT "id", "tenantId", "createdAt", CASE WHEN regexp_replace(b, '-+$', '') = '' THEN 'app' ELSE regexp_replace(b, '-+$', '') END AS k
  FROM base
), ranked AS (
  SELECT "id", k, row_number() OVER (PARTITION BY "tenantId", k ORDER BY "createdAt", "id") AS n FROM named
)
UPDATE "Application" a SET "key" = CASE WHEN r.n = 1 THEN r.k ELSE r.k || '-' || right(a."id", 10) END
FROM ranked r WHERE r."id" = a."id";

ALTER TABLE "Application" ALTER COLUMN "key" SET NOT NULL;

CREATE UNIQUE INDEX "Application_tenantId_key_key" ON "Application"("tenantId", "key");
