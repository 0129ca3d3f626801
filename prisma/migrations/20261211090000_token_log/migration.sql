-- The token log: every token request (identical ones within a flush counted
-- in one row), pruned by time after GRANTRY_TOKEN_LOG_DAYS.
CREATE TABLE "TokenLog" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "applicationId" TEXT,
    "apiId" TEXT,
    "outcome" TEXT NOT NULL,
    "scopeRequested" TEXT NOT NULL DEFAULT '',
    "scopeGranted" TEXT NOT NULL DEFAULT '',
    "address" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT NOT NULL DEFAULT '',
    "latencyMs" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "TokenLog_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "TokenLog_tenantId_at_idx" ON "TokenLog"("tenantId", "at");
CREATE INDEX "TokenLog_tenantId_applicationId_at_idx" ON "TokenLog"("tenantId", "applicationId", "at");
CREATE INDEX "TokenLog_at_idx" ON "TokenLog"("at");

ALTER TABLE "TokenLog" ADD CONSTRAINT "TokenLog_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
