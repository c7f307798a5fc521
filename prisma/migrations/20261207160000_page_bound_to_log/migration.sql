-- CreateTable
CREATE TABLE "LogMeta" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "origin" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogMeta_pkey" PRIMARY KEY ("id")
);

-- A log that already exists keeps the name its first checkpoint was signed under (ADR 017)
INSERT INTO "LogMeta" ("id", "origin") SELECT 1, split_part("body", E'\n', 1) FROM "LogCheckpoint" ORDER BY "size" ASC LIMIT 1;

-- Written by hand (ADR 017): every write to the logged rows of a lot moves its viewVersion,
-- from the app or from any SQL session, so the trace page caches (keyed by viewVersion)
-- are rebuilt and re-checked against the log on the next scan. prisma migrate deploy splits
-- this file on every semicolon character, so the PL/pgSQL bodies below spell it \073.

-- Events, inspections and recalls: one UPDATE of the lots a statement touched (statement level,
-- transition tables: a statement of 10,000 rows costs one UPDATE, not 10,000).
CREATE FUNCTION public.ocop_lot_rows_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" IN (SELECT "batchId" FROM new_rows)\073
  ELSIF TG_OP = ''DELETE'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" IN (SELECT "batchId" FROM old_rows)\073
  ELSE
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" IN (SELECT "batchId" FROM old_rows UNION SELECT "batchId" FROM new_rows)\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "TraceEvent_lot_insert" AFTER INSERT ON "TraceEvent" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "TraceEvent_lot_update" AFTER UPDATE ON "TraceEvent" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "TraceEvent_lot_delete" AFTER DELETE ON "TraceEvent" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "Inspection_lot_insert" AFTER INSERT ON "Inspection" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "Inspection_lot_update" AFTER UPDATE ON "Inspection" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "Inspection_lot_delete" AFTER DELETE ON "Inspection" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "Recall_lot_insert" AFTER INSERT ON "Recall" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "Recall_lot_update" AFTER UPDATE ON "Recall" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();
CREATE TRIGGER "Recall_lot_delete" AFTER DELETE ON "Recall" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_lot_rows_changed();

-- The certificates of a product are part of every lot of the product.
CREATE FUNCTION public.ocop_product_rows_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "productId" IN (SELECT "productId" FROM new_rows)\073
  ELSIF TG_OP = ''DELETE'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "productId" IN (SELECT "productId" FROM old_rows)\073
  ELSE
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "productId" IN (SELECT "productId" FROM old_rows UNION SELECT "productId" FROM new_rows)\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "OcopCertificate_lot_insert" AFTER INSERT ON "OcopCertificate" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_product_rows_changed();
CREATE TRIGGER "OcopCertificate_lot_update" AFTER UPDATE ON "OcopCertificate" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_product_rows_changed();
CREATE TRIGGER "OcopCertificate_lot_delete" AFTER DELETE ON "OcopCertificate" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.ocop_product_rows_changed();

-- Rows whose writes are mostly not about the log (the count of a scan, the index a sequencing run sets, a
-- photo): row-level triggers that fire only for the columns that matter, so scans and the
-- sequencer pay nothing. A voided code, a logged leaf, the file of a certificate.
CREATE FUNCTION public.ocop_lot_row_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_TABLE_NAME = ''StoredFile'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "productId" IN (SELECT "productId" FROM "OcopCertificate" WHERE "fileKey" = NEW."key")\073
  ELSIF TG_TABLE_NAME = ''LogLeaf'' AND TG_OP = ''DELETE'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" = OLD."batchId" OR (OLD."batchId" IS NULL AND "productId" = OLD."productId")\073
  ELSIF TG_TABLE_NAME = ''LogLeaf'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" IN (OLD."batchId", NEW."batchId") OR (OLD."batchId" IS NULL AND "productId" = OLD."productId") OR (NEW."batchId" IS NULL AND "productId" = NEW."productId")\073
  ELSIF TG_OP = ''DELETE'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" = OLD."batchId"\073
  ELSIF TG_OP = ''INSERT'' THEN
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" = NEW."batchId"\073
  ELSE
    UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" IN (OLD."batchId", NEW."batchId")\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "TraceCode_void_insert" AFTER INSERT ON "TraceCode" FOR EACH ROW WHEN (NEW."status" = 'VOID') EXECUTE FUNCTION public.ocop_lot_row_changed();
CREATE TRIGGER "TraceCode_void_delete" AFTER DELETE ON "TraceCode" FOR EACH ROW WHEN (OLD."status" = 'VOID') EXECUTE FUNCTION public.ocop_lot_row_changed();
CREATE TRIGGER "TraceCode_void_update" AFTER UPDATE OF "status", "voidedAt", "voidReason", "voidedById", "serial", "batchId" ON "TraceCode" FOR EACH ROW
  WHEN ((OLD."status" = 'VOID') IS DISTINCT FROM (NEW."status" = 'VOID') OR OLD."voidedAt" IS DISTINCT FROM NEW."voidedAt" OR OLD."voidReason" IS DISTINCT FROM NEW."voidReason"
    OR OLD."voidedById" IS DISTINCT FROM NEW."voidedById" OR OLD."serial" IS DISTINCT FROM NEW."serial" OR OLD."batchId" IS DISTINCT FROM NEW."batchId")
  EXECUTE FUNCTION public.ocop_lot_row_changed();
-- The sequencer numbers pending leaves (index NULL → n): that fires nothing. Any other change of a leaf does.
CREATE TRIGGER "LogLeaf_lot_update" AFTER UPDATE OF "leaf", "type", "recordId", "batchId", "productId", "index" ON "LogLeaf" FOR EACH ROW
  WHEN (OLD."index" IS NOT NULL OR OLD."leaf" IS DISTINCT FROM NEW."leaf" OR OLD."type" IS DISTINCT FROM NEW."type" OR OLD."recordId" IS DISTINCT FROM NEW."recordId"
    OR OLD."batchId" IS DISTINCT FROM NEW."batchId" OR OLD."productId" IS DISTINCT FROM NEW."productId")
  EXECUTE FUNCTION public.ocop_lot_row_changed();
CREATE TRIGGER "LogLeaf_lot_delete" AFTER DELETE ON "LogLeaf" FOR EACH ROW EXECUTE FUNCTION public.ocop_lot_row_changed();
CREATE TRIGGER "StoredFile_certificate_update" AFTER UPDATE OF "bytes" ON "StoredFile" FOR EACH ROW EXECUTE FUNCTION public.ocop_lot_row_changed();

-- The row of the lot itself: a change of what its leaf or its page holds moves its version (stock, a sale, does not).
CREATE FUNCTION public.ocop_batch_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  NEW."viewVersion" := OLD."viewVersion" + 1\073
  RETURN NEW\073
END';

CREATE TRIGGER "Batch_view_changed" BEFORE UPDATE ON "Batch" FOR EACH ROW
  WHEN (OLD."viewVersion" = NEW."viewVersion" AND (OLD."lotCode", OLD."producedAt", OLD."expiresAt", OLD."quantity", OLD."productionArea", OLD."status", OLD."productId", OLD."createdById", OLD."createdAt")
    IS DISTINCT FROM (NEW."lotCode", NEW."producedAt", NEW."expiresAt", NEW."quantity", NEW."productionArea", NEW."status", NEW."productId", NEW."createdById", NEW."createdAt"))
  EXECUTE FUNCTION public.ocop_batch_changed();

-- The product-level leaves of a product (certificates), for the check made each time a trace page is shown.
CREATE INDEX "LogLeaf_product_only_idx" ON "LogLeaf"("productId") WHERE "batchId" IS NULL;
