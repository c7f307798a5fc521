-- DropForeignKey
ALTER TABLE "LedgerEntry" DROP CONSTRAINT "LedgerEntry_batchId_fkey";

-- AlterTable
ALTER TABLE "TraceCode" ADD COLUMN     "voidedById" TEXT;

-- AlterTable
ALTER TABLE "SigningKey" ADD COLUMN     "purpose" TEXT NOT NULL DEFAULT 'inspection';

-- DropTable
DROP TABLE "LedgerEntry";

-- CreateTable
CREATE TABLE "LogLeaf" (
    "id" BIGSERIAL NOT NULL,
    "index" BIGINT,
    "type" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "batchId" TEXT,
    "productId" TEXT,
    "leaf" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sequencedAt" TIMESTAMP(3),

    CONSTRAINT "LogLeaf_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogTile" (
    "level" INTEGER NOT NULL,
    "index" BIGINT NOT NULL,
    "hashes" BYTEA NOT NULL,

    CONSTRAINT "LogTile_pkey" PRIMARY KEY ("level","index")
);

-- CreateTable
CREATE TABLE "LogCheckpoint" (
    "size" BIGINT NOT NULL,
    "rootHash" BYTEA NOT NULL,
    "body" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogCheckpoint_pkey" PRIMARY KEY ("size")
);

-- CreateTable
CREATE TABLE "LogCosignature" (
    "checkpointSize" BIGINT NOT NULL,
    "witness" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogCosignature_pkey" PRIMARY KEY ("checkpointSize","witness")
);

-- CreateIndex
CREATE UNIQUE INDEX "LogLeaf_index_key" ON "LogLeaf"("index");

-- CreateIndex
CREATE INDEX "LogLeaf_batchId_idx" ON "LogLeaf"("batchId");

-- CreateIndex
CREATE INDEX "LogLeaf_productId_idx" ON "LogLeaf"("productId");

-- CreateIndex
CREATE INDEX "LogLeaf_type_recordId_idx" ON "LogLeaf"("type", "recordId");

-- AddForeignKey
ALTER TABLE "LogCosignature" ADD CONSTRAINT "LogCosignature_checkpointSize_fkey" FOREIGN KEY ("checkpointSize") REFERENCES "LogCheckpoint"("size") ON DELETE CASCADE ON UPDATE CASCADE;

