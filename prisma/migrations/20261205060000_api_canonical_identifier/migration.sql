-- API identifiers compared in canonical form (lib/domain/identifiers.ts,
-- canonicalIdentifier): URLs with scheme and host lower-case, the default port
-- dropped and trailing slashes dropped, URNs as written. Existing rows get the
-- same form here. Where two rows of a tenant already share one canonical form,
-- the older keeps it and the newer stays NULL: both keep working as audiences
-- (tokens match the identifier as written), and no new near-duplicate of
-- either can be created.
-- No semicolon in these comments: the migration runner splits statements on them.
ALTER TABLE "Api" ADD COLUMN "canonicalIdentifier" TEXT;

WITH parts AS (
  SELECT "id", "tenantId", "createdAt", "identifier",
         regexp_match("identifier", '^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(\?[^#]*)?$') AS m
  FROM "Api"
), canon AS (
  SELECT "id", "tenantId", "createdAt",
         CASE WHEN m IS NULL THEN "identifier"
              ELSE lower(m[1]) || '://' ||
                   CASE WHEN lower(m[1]) = 'http' AND lower(m[2]) LIKE '%:80' THEN left(lower(m[2]), -3)
                        WHEN lower(m[1]) = 'https' AND lower(m[2]) LIKE '%:443' THEN left(lower(m[2]), -4)
                        ELSE lower(m[2]) END ||
                   regexp_replace(m[3], '/+$', '') || coalesce(m[4], '')
         END AS c
  FROM parts
), ranked AS (
  SELECT "id", c, row_number() OVER (PARTITION BY "tenantId", c ORDER BY "createdAt", "id") AS n FROM canon
)
UPDATE "Api" a SET "canonicalIdentifier" = r.c FROM ranked r WHERE r."id" = a."id" AND r.n = 1;

CREATE UNIQUE INDEX "Api_tenantId_canonicalIdentifier_key" ON "Api"("tenantId", "canonicalIdentifier");
