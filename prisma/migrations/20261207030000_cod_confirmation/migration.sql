-- AlterEnum
-- (BEFORE: the enum's order as in schema.prisma, so migrations and schema build the same type.)
ALTER TYPE "OrderStatus" ADD VALUE 'PENDING_CONFIRMATION' BEFORE 'CONFIRMED';

-- AlterTable
ALTER TABLE "Producer" ADD COLUMN     "codMaxUnits" INTEGER NOT NULL DEFAULT 10;

