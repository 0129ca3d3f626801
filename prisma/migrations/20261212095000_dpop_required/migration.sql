-- DPoP (RFC 9449): an API may accept only key-bound tokens, an application may
-- be required to prove possession of a key with every token request.
-- AlterTable
ALTER TABLE "Application" ADD COLUMN "dpopRequired" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Api" ADD COLUMN "dpopRequired" BOOLEAN NOT NULL DEFAULT false;
