-- A plain ADD COLUMN (not Prisma's table redefinition) keeps the hand-written
-- CHECK constraints on Batch.stock from the init migration.
ALTER TABLE "Batch" ADD COLUMN "viewVersion" INTEGER NOT NULL DEFAULT 0;
