-- AlterTable
ALTER TABLE "Producer" ADD COLUMN "consentAt" DATETIME;
ALTER TABLE "Producer" ADD COLUMN "consentById" TEXT;
ALTER TABLE "Producer" ADD COLUMN "consentHolderName" TEXT;
ALTER TABLE "Producer" ADD COLUMN "consentPhone" TEXT;

-- AlterTable
ALTER TABLE "Product" ADD COLUMN "createdById" TEXT;

-- AlterTable
ALTER TABLE "OcopCertificate" ADD COLUMN "fileMimeType" TEXT;

-- AlterTable
ALTER TABLE "Batch" ADD COLUMN "createdById" TEXT;

-- CreateTable
CREATE TABLE "EventEvidence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EventEvidence_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "TraceEvent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LabelJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "batchId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "layout" TEXT NOT NULL,
    "codeKind" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "fileKey" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "LabelJob_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_TraceEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "batchId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "place" TEXT,
    "actorName" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',
    "correctsId" TEXT,
    "phiFlag" BOOLEAN NOT NULL DEFAULT false,
    "recordedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TraceEvent_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TraceEvent_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TraceEvent_correctsId_fkey" FOREIGN KEY ("correctsId") REFERENCES "TraceEvent" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_TraceEvent" ("actorName", "batchId", "correctsId", "createdAt", "data", "id", "kind", "occurredAt", "place", "recordedById") SELECT "actorName", "batchId", "correctsId", "createdAt", "data", "id", "kind", "occurredAt", "place", "recordedById" FROM "TraceEvent";
DROP TABLE "TraceEvent";
ALTER TABLE "new_TraceEvent" RENAME TO "TraceEvent";
CREATE INDEX "TraceEvent_batchId_occurredAt_idx" ON "TraceEvent"("batchId", "occurredAt");
CREATE INDEX "TraceEvent_correctsId_idx" ON "TraceEvent"("correctsId");
CREATE INDEX "TraceEvent_phiFlag_idx" ON "TraceEvent"("phiFlag");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "EventEvidence_storageKey_key" ON "EventEvidence"("storageKey");

-- CreateIndex
CREATE INDEX "EventEvidence_eventId_idx" ON "EventEvidence"("eventId");

-- CreateIndex
CREATE INDEX "LabelJob_batchId_createdAt_idx" ON "LabelJob"("batchId", "createdAt");

