-- AlterEnum
ALTER TYPE "OneTimeCodePurpose" ADD VALUE 'CLAIM';

-- CreateTable
CREATE TABLE "GuessBudget" (
    "key" VARCHAR(255) NOT NULL,
    "wrong" INTEGER NOT NULL DEFAULT 0,
    "strangerWrong" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GuessBudget_pkey" PRIMARY KEY ("key")
);

