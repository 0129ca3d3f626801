-- The dashboard finds an application by the first characters of its client id
-- (a LIKE on a prefix). The unique B-tree serves LIKE only under the C
-- collation, text_pattern_ops under any. (No semicolon in these comments:
-- the migration adapter splits the script on every one.)
-- CreateIndex
CREATE INDEX "Application_clientId_prefix_idx" ON "Application"("clientId" text_pattern_ops);
