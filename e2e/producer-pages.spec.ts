import { expect, test } from "./fixtures";

// A shopper on a 360 px phone sorts the list and keeps to what is in stock, opens a product,
// then its producer's page (story, place, verified stars, contact), in Vietnamese and English.

const WORDS = {
  vi: {
    sort: "Sắp xếp",
    priceAsc: "Giá thấp đến cao",
    inStock: "Còn hàng",
    filter: "Lọc",
    link: "Xem trang cơ sở sản xuất",
    certs: "Chứng nhận OCOP đã xác minh",
    zalo: "Nhắn Zalo",
    products: "Sản phẩm đang bán",
  },
  en: {
    sort: "Sort by",
    priceAsc: "Price: low to high",
    inStock: "In stock",
    filter: "Filter",
    link: "See the producer's page",
    certs: "Verified OCOP certificates",
    zalo: "Message on Zalo",
    products: "Products on sale",
  },
} as const;

for (const lang of ["vi", "en"] as const) {
  test(`[${lang}] sort by price, keep to in stock, open a product and its producer's page`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "vi-VN" });
    const page = await ctx.newPage();
    const w = WORDS[lang];
    await page.goto("/products");
    if (lang === "en") {
      await page.getByRole("button", { name: "English" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
    }
    await page.getByLabel(w.sort).selectOption({ label: w.priceAsc });
    await page.getByLabel(w.inStock).check();
    await page.getByRole("button", { name: w.filter, exact: true }).click();
    await expect(page).toHaveURL(/sort=priceAsc/);
    await expect(page).toHaveURL(/inStock=1/);
    await expect(page.getByLabel(w.inStock)).toBeChecked();
    await expect(page.getByLabel(w.sort)).toHaveValue("priceAsc");
    // Prices go up down the list.
    const prices = (await page.locator("ul li .text-brand-700").allTextContents()).map((t) => Number(t.replace(/[^\d]/g, "").slice(0, 9)));
    expect(prices.length).toBeGreaterThan(1);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    await page.screenshot({ path: test.info().outputPath(`products-sorted-${lang}.png`), fullPage: true });

    await page.getByRole("link", { name: "Chè búp Tân Cương", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Chè búp Tân Cương" })).toBeVisible();
    await page.getByRole("link", { name: w.link }).click();
    await expect(page.getByRole("heading", { level: 1, name: "HTX Chè Tân Cương" })).toBeVisible();
    await expect(page).toHaveTitle(/HTX Chè Tân Cương/);
    await expect(page.getByRole("heading", { name: w.certs })).toBeVisible();
    await expect(page.getByTestId("producer-map")).toBeVisible();
    await expect(page.getByRole("link", { name: w.zalo })).toHaveAttribute("href", "https://zalo.me/0912000101");
    await expect(page.getByRole("heading", { name: w.products })).toBeVisible();
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: test.info().outputPath(`producer-page-${lang}.png`), fullPage: true });

    // From a card, the producer's name opens the same page.
    await page.goto("/products?q=che+tan+cuong");
    await page.getByTestId("card-producer").first().click();
    await expect(page.getByRole("heading", { level: 1, name: "HTX Chè Tân Cương" })).toBeVisible();
    await ctx.close();
  });
}
