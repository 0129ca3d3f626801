-- Why a client assertion was refused, from a fixed vocabulary (never text from the request).
-- AlterTable
ALTER TABLE "TokenLog" ADD COLUMN     "reason" TEXT NOT NULL DEFAULT '';
