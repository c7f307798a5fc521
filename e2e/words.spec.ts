import { expect, test, type Page } from "./fixtures";

// Words and numbers on a phone: Vietnamese unless the visitor chose English (a phone set to
// English still opens in Vietnamese), real English plurals, numbers grouped the language's
// way, the 404 pages in the chosen language, and no "0 steps" selling point.

test.use({ viewport: { width: 360, height: 740 }, locale: "en-US" });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/words-${name}.png`, fullPage: true });

async function search(page: Page, words: string, button: string) {
  await page.getByRole("searchbox").fill(words);
  await page.getByRole("button", { name: button, exact: true }).click();
}

test("a phone set to English opens in Vietnamese; choosing English by a click is remembered, with plurals, grouped numbers and an English 404", async ({
  page,
  browser,
}) => {
  // The browser asks for English (Accept-Language en-US): the site still speaks Vietnamese.
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Sản phẩm OCOP rõ nguồn gốc" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");

  // Vietnamese first: the stock of the fish sauce with the Vietnamese grouping.
  await search(page, "nuoc mam phu quoc", "Tìm");
  await page
    .getByRole("link", { name: /Nước mắm Phú Quốc 40 độ đạm/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Nước mắm Phú Quốc 40 độ đạm" })).toBeVisible();
  await expect(page.getByText(/^Còn \d{1,3}(\.\d{3})+ chai$/)).toBeVisible();
  await shot(page, "vi-product");

  // The visitor chooses English with a click.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByText(/^\d{1,3}(,\d{3})+ bottles left$/)).toBeVisible();
  await expect(page.getByText(/\d bottle left/)).toHaveCount(0);
  await shot(page, "en-product");

  // One result is "1 product", not "1 products".
  await page.getByRole("link", { name: "ocop-trace" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "OCOP products you can trace" })).toBeVisible();
  await search(page, "ruou sim phu quoc", "Search");
  await expect(page.getByText("1 product", { exact: true })).toBeVisible();
  await expect(page.getByText(/\b1 products\b/)).toHaveCount(0);
  await shot(page, "en-one-product");

  // A lot with no recorded steps says so plainly, not "0 recorded steps" as a selling point.
  await page
    .getByRole("link", { name: /Rượu sim Phú Quốc/ })
    .first()
    .click();
  await expect(page.getByText("The producer has not recorded the steps of this season.")).toBeVisible();
  await expect(page.getByText(/^0 /)).toHaveCount(0);
  await shot(page, "en-no-steps");

  // An address that does not exist: the 404 page in English, remembered across documents.
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByText("Không tìm thấy trang")).toHaveCount(0);
  await shot(page, "en-404");

  // The scan page's unknown code too (rendered outside Remix).
  const unknown = await page.goto("/t/ABCDEFGHJK23456789");
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "This code is not in the system" })).toBeVisible();
  await shot(page, "en-unknown-code");

  // Back home by a click: still English.
  await page.getByRole("link", { name: "Back to the home page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "OCOP products you can trace" })).toBeVisible();

  // A fresh phone set to English, nothing chosen: Vietnamese.
  const fresh = await browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: "en-US",
    extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" },
  });
  const other = await fresh.newPage();
  await other.goto("/");
  await expect(other.getByRole("heading", { level: 1, name: "Sản phẩm OCOP rõ nguồn gốc" })).toBeVisible();
  const notFound = await other.goto("/no-such-page");
  expect(notFound?.status()).toBe(404);
  await expect(other.getByRole("heading", { level: 1, name: "Không tìm thấy trang" })).toBeVisible();
  await shot(other, "fresh-vi-404");
  await fresh.close();
});
