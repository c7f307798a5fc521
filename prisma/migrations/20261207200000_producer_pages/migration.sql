-- AlterTable
ALTER TABLE "Producer" ADD COLUMN     "contactPhone" TEXT;

-- CreateTable
CREATE TABLE "ProducerImage" (
    "id" TEXT NOT NULL,
    "producerId" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProducerImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProducerImage_storageKey_key" ON "ProducerImage"("storageKey");

-- CreateIndex
CREATE INDEX "ProducerImage_producerId_position_idx" ON "ProducerImage"("producerId", "position");

-- AddForeignKey
ALTER TABLE "ProducerImage" ADD CONSTRAINT "ProducerImage_producerId_fkey" FOREIGN KEY ("producerId") REFERENCES "Producer"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The storefront's price orders read a page off these instead of sorting every listed product
-- (16,000 in bench/search). Partial, like Product_storefront_order_idx, and not in schema.prisma.
CREATE INDEX "Product_storefront_price_asc_idx" ON "Product" ("priceVnd" ASC, "latestBatchAt" DESC NULLS LAST, "createdAt" DESC, "id") WHERE "listingStatus" = 'LISTED';
CREATE INDEX "Product_storefront_price_desc_idx" ON "Product" ("priceVnd" DESC, "latestBatchAt" DESC NULLS LAST, "createdAt" DESC, "id") WHERE "listingStatus" = 'LISTED';
