-- The dashboard finds an application by the first characters of its client id
-- (a LIKE on a prefix). Trigrams serve LIKE 'prefix%' under any collation, as
-- they serve the name search (a B-tree with text_pattern_ops would too, but
-- Prisma cannot state its operator class and would drop it at every migrate).
-- (No semicolon in these comments: the migration adapter splits the script on every one.)
-- CreateIndex
CREATE INDEX "Application_clientId_prefix_idx" ON "Application" USING GIN ("clientId" gin_trgm_ops);
