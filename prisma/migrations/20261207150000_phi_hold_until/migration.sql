-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "holdUntil" TIMESTAMP(3);
