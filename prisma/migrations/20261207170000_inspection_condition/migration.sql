-- A CONDITIONAL inspection says what must happen and by when (issue 21).
ALTER TABLE "Inspection" ADD COLUMN "condition" TEXT,
ADD COLUMN "conditionDue" TIMESTAMP(3);
