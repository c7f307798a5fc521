import sharp from "sharp";
import { prisma } from "~/db.server";
import { AVIF_WIDTHS, IMAGE_WIDTHS, imageVariantKey } from "~/domain/files/uploads.server";
import { DEMO_PRODUCT_PHOTOS, seed } from "../prisma/seed";
import { drawDemoImage } from "../prisma/demo-photos";

// Every demo product has 2–3 drawn photos, stored through the producer's upload path: WebP and
// AVIF variants in the file store, one row per photo, no two products sharing a file.
describe("the demo's product photos", () => {
  let seedMs = 0;
  beforeAll(async () => {
    const start = performance.now();
    await seed();
    seedMs = performance.now() - start;
  }, 180_000);

  it("every product has 2–3 photos with all their variants, each its own files", async () => {
    const products = await prisma.product.findMany({
      select: { name: true, images: { select: { storageKey: true, width: true, height: true, hasAvif: true } } },
    });
    expect(products.length).toBeGreaterThan(15);
    const keys = new Set<string>();
    for (const p of products) {
      expect(p.images.length, p.name).toBeGreaterThanOrEqual(2);
      expect(p.images.length, p.name).toBeLessThanOrEqual(3);
      expect(p.images.length, p.name).toBe(DEMO_PRODUCT_PHOTOS[p.name]?.length);
      for (const img of p.images) {
        expect(img.hasAvif).toBe(true);
        expect(img.width).toBeGreaterThan(0);
        keys.add(img.storageKey);
      }
    }
    expect(keys.size).toBe(products.reduce((n, p) => n + p.images.length, 0));
    const variantKeys = [...keys].flatMap((k) => [
      ...IMAGE_WIDTHS.map((w) => imageVariantKey(k, w)),
      ...AVIF_WIDTHS.map((w) => imageVariantKey(k, w, "avif")),
    ]);
    const stored = await prisma.storedFile.findMany({ where: { key: { in: variantKeys } }, select: { key: true, mimeType: true } });
    expect(stored.length).toBe(variantKeys.length);
    for (const f of stored) expect(f.mimeType).toBe(f.key.endsWith(".avif") ? "image/avif" : "image/webp");
    console.log(`[seed-photos] seed with ${keys.size} photos took ${seedMs.toFixed(0)} ms`);
  });

  it("draws the same picture every time, with no text or metadata", async () => {
    const scene = DEMO_PRODUCT_PHOTOS["Nước mắm Phú Quốc 40 độ đạm"]![0]!;
    const [a, b] = await Promise.all([drawDemoImage(scene), drawDemoImage(scene)]);
    expect(a.equals(b)).toBe(true);
    const meta = await sharp(a).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 800, 800]);
    // Not a blank: a drawing has many colours.
    const { channels } = await sharp(a).stats();
    expect(channels[0]!.stdev).toBeGreaterThan(10);
  });
});
