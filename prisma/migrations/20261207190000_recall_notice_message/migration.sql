-- A recall notice names the message that tells its buyer, so "notified" counts sent messages only.
ALTER TABLE "RecallNotice" ADD COLUMN "messageId" TEXT;

-- Notices made before this: their message is the recall message queued for the same order in the
-- same transaction (same order, the first "THU HỒI" message at or after the notice).
UPDATE "RecallNotice" n SET "messageId" = (
  SELECT m."id" FROM "OutboxMessage" m
  WHERE m."orderId" = n."orderId" AND m."subject" LIKE 'THU HỒI%' AND m."createdAt" >= n."notifiedAt" - interval '1 second'
    AND NOT EXISTS (SELECT 1 FROM "RecallNotice" o WHERE o."messageId" = m."id")
  ORDER BY m."createdAt" LIMIT 1
);

CREATE UNIQUE INDEX "RecallNotice_messageId_key" ON "RecallNotice"("messageId");
ALTER TABLE "RecallNotice" ADD CONSTRAINT "RecallNotice_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "OutboxMessage"("id") ON DELETE SET NULL ON UPDATE CASCADE;
