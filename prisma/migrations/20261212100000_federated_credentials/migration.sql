-- Workload identity federation: external issuers whose JWTs authenticate an application.
-- CreateTable
CREATE TABLE "FederatedCredential" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "jwksUri" TEXT,
    "subject" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "conditions" TEXT NOT NULL DEFAULT '{}',
    "preset" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "FederatedCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FederatedCredential_applicationId_idx" ON "FederatedCredential"("applicationId");

-- CreateIndex
CREATE INDEX "FederatedCredential_tenantId_idx" ON "FederatedCredential"("tenantId");

-- AddForeignKey
ALTER TABLE "FederatedCredential" ADD CONSTRAINT "FederatedCredential_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FederatedCredential" ADD CONSTRAINT "FederatedCredential_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
