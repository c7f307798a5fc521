-- AlterTable
ALTER TABLE "TraceEvent" ADD COLUMN     "capturedAt" TIMESTAMP(3),
ADD COLUMN     "clientKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "TraceEvent_clientKey_key" ON "TraceEvent"("clientKey");

