-- AlterTable
ALTER TABLE "Scan" ADD COLUMN     "lastSeenAt" TIMESTAMP(3),
ADD COLUMN     "networkKey" TEXT,
ADD COLUMN     "repeats" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "Scan_networkKey_scannedAt_idx" ON "Scan"("networkKey", "scannedAt");
