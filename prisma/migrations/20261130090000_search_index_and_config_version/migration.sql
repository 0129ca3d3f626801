-- The dashboard searches applications by any part of their name
-- (name ILIKE '%term%'), which a B-tree cannot serve: a trigram GIN index can.
-- pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Application_name_trgm_idx" ON "Application" USING GIN ("name" gin_trgm_ops);

-- The token cache's cheap check (lib/oauth/cache.ts): one row per tenant,
-- bumped with every configuration change (lib/domain/changes.ts).
-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "configVersion" INTEGER NOT NULL DEFAULT 0;
