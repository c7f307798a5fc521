-- CreateEnum
CREATE TYPE "Carrier" AS ENUM ('OWN', 'GHN', 'GHTK', 'VIETTEL_POST', 'VNPOST', 'JT');

-- CreateEnum
CREATE TYPE "DeliveryMethod" AS ENUM ('SHIP', 'PICKUP');

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "deliveryMethod" "DeliveryMethod" NOT NULL DEFAULT 'SHIP',
ADD COLUMN     "shippedCarrier" "Carrier",
ADD COLUMN     "shippingFeeVnd" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "trackingNumber" TEXT;

-- CreateTable
CREATE TABLE "DeliverySettings" (
    "producerId" TEXT NOT NULL,
    "shipsWith" "Carrier" NOT NULL DEFAULT 'OWN',
    "flatFeeVnd" INTEGER NOT NULL DEFAULT 0,
    "freeAboveVnd" INTEGER,
    "pickupAddress" TEXT,
    "pickupHours" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeliverySettings_pkey" PRIMARY KEY ("producerId")
);

-- CreateTable
CREATE TABLE "DeliveryZone" (
    "id" TEXT NOT NULL,
    "producerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provinceCodes" TEXT[],
    "coversRest" BOOLEAN NOT NULL DEFAULT false,
    "feeVnd" INTEGER NOT NULL,
    "minDays" INTEGER NOT NULL,
    "maxDays" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "DeliveryZone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeliveryZone_producerId_position_idx" ON "DeliveryZone"("producerId", "position");

-- AddForeignKey
ALTER TABLE "DeliverySettings" ADD CONSTRAINT "DeliverySettings_producerId_fkey" FOREIGN KEY ("producerId") REFERENCES "Producer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryZone" ADD CONSTRAINT "DeliveryZone_producerId_fkey" FOREIGN KEY ("producerId") REFERENCES "Producer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

