-- CreateEnum
CREATE TYPE "RecallAlertChannel" AS ENUM ('PUSH', 'SMS');

-- CreateTable
CREATE TABLE "RecallSubscription" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "channel" "RecallAlertChannel" NOT NULL,
    "locale" TEXT NOT NULL,
    "endpoint" TEXT,
    "p256dh" TEXT,
    "auth" TEXT,
    "phone" TEXT,
    "codeHash" TEXT,
    "codeSentAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),
    "unsubscribeTokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecallSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecallAlertNotice" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recallId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecallAlertNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecallAlertDelivery" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "subscriptionId" TEXT,
    "channel" "RecallAlertChannel" NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecallAlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RecallSubscription_unsubscribeTokenHash_key" ON "RecallSubscription"("unsubscribeTokenHash");

-- CreateIndex
CREATE INDEX "RecallSubscription_batchId_channel_idx" ON "RecallSubscription"("batchId", "channel");

-- CreateIndex
CREATE INDEX "RecallSubscription_expiresAt_idx" ON "RecallSubscription"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecallSubscription_batchId_endpoint_key" ON "RecallSubscription"("batchId", "endpoint");

-- CreateIndex
CREATE UNIQUE INDEX "RecallSubscription_batchId_phone_key" ON "RecallSubscription"("batchId", "phone");

-- CreateIndex
CREATE INDEX "RecallAlertNotice_batchId_createdAt_idx" ON "RecallAlertNotice"("batchId", "createdAt");

-- CreateIndex
CREATE INDEX "RecallAlertDelivery_noticeId_status_idx" ON "RecallAlertDelivery"("noticeId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RecallAlertDelivery_noticeId_subscriptionId_key" ON "RecallAlertDelivery"("noticeId", "subscriptionId");

-- AddForeignKey
ALTER TABLE "RecallSubscription" ADD CONSTRAINT "RecallSubscription_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecallAlertNotice" ADD CONSTRAINT "RecallAlertNotice_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecallAlertDelivery" ADD CONSTRAINT "RecallAlertDelivery_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "RecallAlertNotice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecallAlertDelivery" ADD CONSTRAINT "RecallAlertDelivery_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "RecallSubscription"("id") ON DELETE SET NULL ON UPDATE CASCADE;

