-- The shop pages every instance keeps for a few seconds (server/list-cache.ts) are dropped at
-- once, on every instance, when what they show about a lot or a product changes in a way that
-- matters to a buyer: a hold or a recall, a price, a listing, a revoked certificate, a producer
-- suspended. The listeners (server/page-changes.ts) LISTEN on "ocop_shop_pages", and a NOTIFY is
-- sent at commit, once per transaction and table. Stock is not signalled: a kept page is at
-- most LIST_CACHE_MS old. (No semicolon inside a statement: prisma migrate deploy splits on them.)
CREATE FUNCTION public.ocop_shop_page_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''ocop_shop_pages'', TG_TABLE_NAME)\073
  RETURN NULL\073
END';

CREATE TRIGGER "Batch_shop_page_changed" AFTER UPDATE ON "Batch" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."holdReason" IS DISTINCT FROM NEW."holdReason")
  EXECUTE FUNCTION public.ocop_shop_page_changed();

CREATE TRIGGER "Product_shop_page_changed" AFTER UPDATE ON "Product" FOR EACH ROW
  WHEN (OLD."priceVnd" IS DISTINCT FROM NEW."priceVnd" OR OLD."listingStatus" IS DISTINCT FROM NEW."listingStatus"
        OR OLD."name" IS DISTINCT FROM NEW."name")
  EXECUTE FUNCTION public.ocop_shop_page_changed();

CREATE TRIGGER "OcopCertificate_shop_page_changed" AFTER UPDATE ON "OcopCertificate" FOR EACH ROW
  WHEN (OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt")
  EXECUTE FUNCTION public.ocop_shop_page_changed();

CREATE TRIGGER "Producer_shop_page_changed" AFTER UPDATE ON "Producer" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION public.ocop_shop_page_changed();
