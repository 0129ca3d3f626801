-- Accounts only their owners control: invitations and reset links (hashed,
-- one-time), instance admins, a session version, and known sign-in addresses.
ALTER TABLE "User" ADD COLUMN "instanceAdmin" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- Existing installs: the first user (the first owner) keep the power to create tenants.
UPDATE "User" SET "instanceAdmin" = true WHERE "id" = (SELECT "id" FROM "User" ORDER BY "createdAt" ASC LIMIT 1);

CREATE TABLE "AccountLink" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "tenantId" TEXT,
    "email" TEXT NOT NULL,
    "role" "Role",
    "userId" TEXT,
    "createdBy" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AccountLink_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AccountLink_tokenHash_key" ON "AccountLink"("tokenHash");
CREATE INDEX "AccountLink_tenantId_kind_createdAt_idx" ON "AccountLink"("tenantId", "kind", "createdAt");
ALTER TABLE "AccountLink" ADD CONSTRAINT "AccountLink_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "SignInOrigin" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "lastSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SignInOrigin_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SignInOrigin_userId_address_key" ON "SignInOrigin"("userId", "address");
ALTER TABLE "SignInOrigin" ADD CONSTRAINT "SignInOrigin_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
