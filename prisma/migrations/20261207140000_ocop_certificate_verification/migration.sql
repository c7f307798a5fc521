-- Issue 21 / ADR 016: OCOP certificates are pending until an OCOP officer verifies them.
-- Hand-written (`prisma migrate diff` needs a database connection with the pg adapter here),
-- test/migrations.test.ts checks it against the schema.

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'OCOP_OFFICER';

-- CreateEnum
CREATE TYPE "CertificateVerification" AS ENUM ('PENDING', 'VERIFIED', 'REJECTED');

-- AlterTable: every certificate already on file was declared by its producer and nobody
-- checked it, so it starts PENDING and shows no star until an officer verifies it.
ALTER TABLE "OcopCertificate" ADD COLUMN     "verification" "CertificateVerification" NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "verificationKeyId" TEXT,
ADD COLUMN     "verificationReason" TEXT,
ADD COLUMN     "verificationSignature" TEXT,
ADD COLUMN     "verifiedAt" TIMESTAMP(3),
ADD COLUMN     "verifiedById" TEXT,
ADD COLUMN     "verifierOffice" TEXT;

-- CreateTable
CREATE TABLE "OcopOfficer" (
    "userId" TEXT NOT NULL,
    "provinceCode" TEXT,
    "officeName" TEXT NOT NULL,

    CONSTRAINT "OcopOfficer_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "OcopOfficer_provinceCode_idx" ON "OcopOfficer"("provinceCode");

-- CreateIndex
CREATE INDEX "OcopCertificate_verification_createdAt_idx" ON "OcopCertificate"("verification", "createdAt");

-- AddForeignKey
ALTER TABLE "OcopOfficer" ADD CONSTRAINT "OcopOfficer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
