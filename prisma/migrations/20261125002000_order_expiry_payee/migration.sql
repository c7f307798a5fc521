-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "cartId" TEXT,
ADD COLUMN     "clientKey" TEXT,
ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "payeeAccountName" TEXT,
ADD COLUMN     "payeeAccountNumber" TEXT,
ADD COLUMN     "payeeBankBin" TEXT;

-- CreateIndex
CREATE INDEX "Order_status_expiresAt_idx" ON "Order"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "Order_status_buyerPhone_idx" ON "Order"("status", "buyerPhone");

-- CreateIndex
CREATE INDEX "Order_status_cartId_idx" ON "Order"("status", "cartId");

-- CreateIndex
CREATE INDEX "Order_status_clientKey_idx" ON "Order"("status", "clientKey");


-- Data: orders made before this migration keep the payee their producer has now (the
-- best record there is), and unpaid ones get the default expiry from when they were made,
-- so the start-up sweep releases stock that abandoned orders have held until now.
UPDATE "Order" o SET "payeeBankBin" = p."bankBin", "payeeAccountNumber" = p."bankAccountNumber", "payeeAccountName" = p."bankAccountName"
FROM "Producer" p WHERE p."id" = o."producerId" AND o."paymentMethod" = 'VIETQR';
UPDATE "Order" SET "expiresAt" = "createdAt" + INTERVAL '24 hours' WHERE "status" = 'PENDING_PAYMENT' AND "paymentMethod" = 'VIETQR';
UPDATE "Order" SET "expiresAt" = "createdAt" + INTERVAL '60 minutes' WHERE "status" = 'PENDING_PAYMENT' AND "paymentMethod" = 'STRIPE';
