-- CreateTable
CREATE TABLE "CounterfeitFlag" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "codeId" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "resolvedById" TEXT,
    "resolutionNote" TEXT,
    CONSTRAINT "CounterfeitFlag_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "TraceCode" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConsumerReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "batchId" TEXT NOT NULL,
    "codeId" TEXT,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "phone" TEXT,
    "photoKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "resolvedById" TEXT,
    "resolutionNote" TEXT,
    CONSTRAINT "ConsumerReport_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CounterfeitFlag_batchId_resolvedAt_idx" ON "CounterfeitFlag"("batchId", "resolvedAt");

-- CreateIndex
CREATE INDEX "CounterfeitFlag_codeId_rule_idx" ON "CounterfeitFlag"("codeId", "rule");

-- CreateIndex
CREATE INDEX "ConsumerReport_batchId_resolvedAt_idx" ON "ConsumerReport"("batchId", "resolvedAt");

