-- AlterTable
ALTER TABLE "User" ADD COLUMN "claimCodeHash" TEXT;
ALTER TABLE "User" ADD COLUMN "claimExpiresAt" DATETIME;

