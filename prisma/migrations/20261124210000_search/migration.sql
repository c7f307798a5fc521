-- Hand-written: storefront search and listing on PostgreSQL (catalog/storefront.server.ts).
-- No table or column changes. prisma/migrations.test.ts allow-lists each object named here.

-- Trigram index on the folded "name producer province" text the app keeps per product:
-- the search finds its candidates through it, a word start as typed (LIKE '% nuoc%')
-- or, when that finds nothing, one typo away (`'mamm' <% "searchText"`, pg_trgm).
-- fastupdate off: new rows go straight into the index instead of a pending list that
-- every search scans until (auto)vacuum flushes it (after a bulk load the planner then
-- preferred a scan of the whole table). Products are written seldom, searched often.
CREATE INDEX "Product_searchText_trgm_idx" ON "Product" USING gin ("searchText" public.gin_trgm_ops) WITH (fastupdate = off);

-- The storefront's order without a query (newest harvest first, NULLS LAST as shown):
-- a page of listed products is read off this index instead of sorting them all.
CREATE INDEX "Product_storefront_order_idx" ON "Product" ("latestBatchAt" DESC NULLS LAST, "createdAt" DESC, "id") WHERE "listingStatus" = 'LISTED';
