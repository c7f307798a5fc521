import { expect, test, type Page } from "@playwright/test";

// A shopper on a 360 × 740 phone sees the demo products' photos on the cards and the product page's
// main photo, which is the page's largest paint and is fetched first (not lazy).
test.use({ viewport: { width: 360, height: 740 } });

/** The element of the page's largest contentful paint, as the browser reports it. */
async function lcpElement(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ tag: string; loading: string | null; fetchpriority: string | null; src: string }>((resolve) => {
        new PerformanceObserver((list) => {
          const last = list.getEntries().at(-1) as PerformanceEntry & { element?: Element | null; url?: string };
          const img = last.element as HTMLImageElement | null;
          resolve({
            tag: img?.tagName ?? "",
            loading: img?.getAttribute("loading") ?? null,
            fetchpriority: img?.getAttribute("fetchpriority") ?? null,
            src: img?.currentSrc ?? "",
          });
        }).observe({ type: "largest-contentful-paint", buffered: true });
      }),
  );
}

test("photos on cards and the product page at 360 px, the main photo eager and first", async ({ page }) => {
  // Demo products only (other journeys add products without photos to the same database): "hoa" finds
  // the honey, the pottery of Hộ gốm Nguyễn Thị Hoa and the artichoke flowers of Lâm Viên.
  await page.goto("/products?q=hoa");
  const cards = page.locator("main ul li").filter({ has: page.locator("a[href^='/products/']") });
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(5);
  // Every demo product has a photo: no placeholders, and each card's image really decoded.
  await expect(page.getByTestId("photo-placeholder")).toHaveCount(0);
  const firstPhoto = cards.first().locator("img");
  await expect(firstPhoto).toHaveAttribute("loading", "eager");
  await expect(cards.nth(4).locator("img")).toHaveAttribute("loading", "lazy");
  await expect.poll(() => firstPhoto.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  // Chromium reads AVIF: the card's file is an AVIF variant, small enough for a half-width card.
  expect(await firstPhoto.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/-(320|640)\.avif$/);
  const box = (await firstPhoto.boundingBox())!;
  expect(box.width).toBeGreaterThan(120);
  expect(Math.abs(box.width - box.height)).toBeLessThan(2);
  await page.screenshot({ path: "test-results/photos/products-360.png", fullPage: true });

  // A fresh load (a shopper arriving from a link): the browser's LCP is measured on a document load only.
  await page.goto((await cards.first().locator("a[href^='/products/']").first().getAttribute("href"))!);
  await expect(page.locator("h1")).toBeVisible();
  const main = page.locator("main picture img").first();
  await expect(main).toHaveAttribute("fetchpriority", "high");
  await expect(main).not.toHaveAttribute("loading", "lazy");
  await expect.poll(() => main.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const lcp = await lcpElement(page);
  expect(lcp.tag).toBe("IMG");
  expect(lcp.fetchpriority).toBe("high");
  expect(lcp.loading).not.toBe("lazy");
  // This phone (Pixel 5, 2.75 device pixels per CSS pixel) wants ~900 px: the 1024 WebP, the one width not made as AVIF.
  expect(lcp.src).toBe(await main.evaluate((img: HTMLImageElement) => img.currentSrc));
  expect(lcp.src).toMatch(/-(320|640)\.avif$|-1024\.webp$/);
  // The photo spans the phone's width (less the page's padding), no wider.
  const mainBox = (await main.boundingBox())!;
  expect(mainBox.width).toBeGreaterThan(300);
  expect(mainBox.width).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/photos/product-360.png" });
});
