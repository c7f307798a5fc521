-- AlterTable
ALTER TABLE "LabelJob" ADD COLUMN     "firstIndex" INTEGER NOT NULL DEFAULT 0;

