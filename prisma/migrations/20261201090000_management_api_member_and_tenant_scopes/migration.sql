-- Tenants created before these scopes existed get them on their Management API
-- too. New tenants get them from MANAGEMENT_SCOPES in lib/domain/management-api.ts,
-- whose names and descriptions these must match. Scope ids are cuids when
-- Prisma creates them, here a "c" plus 32 hex digits, which the same id rules
-- accept. gen_random_uuid() is built in since PostgreSQL 13 (PGlite included).
-- No semicolon in these comments: the migration runner splits statements on them.
INSERT INTO "Scope" ("id", "tenantId", "apiId", "name", "description")
SELECT 'c' || replace(gen_random_uuid()::text, '-', ''), a."tenantId", a."id", s."name", s."description"
FROM "Api" a
CROSS JOIN (VALUES
  ('create:users', 'Add members to the tenant'),
  ('update:users', 'Change members'' roles'),
  ('delete:users', 'Remove members from the tenant'),
  ('read:tenant', 'Read the tenant''s settings'),
  ('update:tenant', 'Rename the tenant')
) AS s("name", "description")
WHERE a."kind" = 'management'
ON CONFLICT ("apiId", "name") DO NOTHING;

-- Token caches hold the scopes of each tenant: running processes reload on this bump.
UPDATE "Tenant" SET "configVersion" = "configVersion" + 1
WHERE "id" IN (SELECT "tenantId" FROM "Api" WHERE "kind" = 'management');
