-- AlterTable
ALTER TABLE "Batch" ADD COLUMN "holdReason" TEXT;

-- CreateTable
CREATE TABLE "RecallNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recallId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "notifiedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" DATETIME,
    CONSTRAINT "RecallNotice_recallId_fkey" FOREIGN KEY ("recallId") REFERENCES "Recall" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Inspection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "batchId" TEXT NOT NULL,
    "inspectorId" TEXT NOT NULL,
    "checklist" TEXT NOT NULL DEFAULT '[]',
    "labResults" TEXT NOT NULL DEFAULT '[]',
    "overrideReason" TEXT,
    "evidenceKeys" TEXT NOT NULL DEFAULT '[]',
    "result" TEXT NOT NULL,
    "notes" TEXT,
    "signature" TEXT,
    "signingKeyId" TEXT,
    "inspectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Inspection_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Inspection_inspectorId_fkey" FOREIGN KEY ("inspectorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Inspection" ("batchId", "checklist", "id", "inspectedAt", "inspectorId", "notes", "result", "signature", "signingKeyId") SELECT "batchId", "checklist", "id", "inspectedAt", "inspectorId", "notes", "result", "signature", "signingKeyId" FROM "Inspection";
DROP TABLE "Inspection";
ALTER TABLE "new_Inspection" RENAME TO "Inspection";
CREATE INDEX "Inspection_batchId_inspectedAt_idx" ON "Inspection"("batchId", "inspectedAt");
CREATE INDEX "Inspection_inspectorId_idx" ON "Inspection"("inspectorId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "RecallNotice_token_key" ON "RecallNotice"("token");

-- CreateIndex
CREATE UNIQUE INDEX "RecallNotice_recallId_orderId_key" ON "RecallNotice"("recallId", "orderId");

