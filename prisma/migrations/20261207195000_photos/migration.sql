-- Product photos stored with AVIF variants (320, 640) beside the WebP ones. Older photos have WebP only.
ALTER TABLE "ProductImage" ADD COLUMN "hasAvif" BOOLEAN NOT NULL DEFAULT false;
