-- Grants as code (docs/grants-as-code.md): tenants created before these scopes
-- existed get them on their Management API too. New tenants get them from
-- MANAGEMENT_SCOPES in lib/domain/management-api.ts, whose names and
-- descriptions these must match. Ids as in the earlier scope migration.
-- No semicolon in these comments: the migration runner splits statements on them.
INSERT INTO "Scope" ("id", "tenantId", "apiId", "name", "description")
SELECT 'c' || replace(gen_random_uuid()::text, '-', ''), a."tenantId", a."id", s."name", s."description"
FROM "Api" a
CROSS JOIN (VALUES
  ('read:config', 'Export the tenant''s configuration and plan a tenant file'),
  ('apply:config', 'Apply a tenant file: create, change and (with prune) delete applications, APIs and grants')
) AS s("name", "description")
WHERE a."kind" = 'management'
ON CONFLICT ("apiId", "name") DO NOTHING;

-- Token caches hold the scopes of each tenant: running processes reload on this bump.
UPDATE "Tenant" SET "configVersion" = "configVersion" + 1
WHERE "id" IN (SELECT "tenantId" FROM "Api" WHERE "kind" = 'management');
