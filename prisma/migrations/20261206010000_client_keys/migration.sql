-- private_key_jwt: an application's public key sets, and whether it accepts
-- client assertions only.
ALTER TABLE "Application" ADD COLUMN "assertionsOnly" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "ClientKey" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "jwks" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "ClientKey_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "ClientKey_applicationId_idx" ON "ClientKey"("applicationId");
CREATE INDEX "ClientKey_tenantId_idx" ON "ClientKey"("tenantId");

ALTER TABLE "ClientKey" ADD CONSTRAINT "ClientKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ClientKey" ADD CONSTRAINT "ClientKey_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
