-- An SMS alert is handed to the outbox, and its delivery row names the outbox message, so it is
-- counted DELIVERED only once the outbox has sent it.
ALTER TABLE "RecallAlertDelivery" ADD COLUMN "outboxMessageId" TEXT;

CREATE UNIQUE INDEX "RecallAlertDelivery_outboxMessageId_key" ON "RecallAlertDelivery"("outboxMessageId");
