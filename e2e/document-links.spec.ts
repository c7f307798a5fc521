import QRCode from "qrcode";
import { test, expect } from "./fixtures";

// The trace page is a document of its own (ADR 008). Reached by an in-app link or after /scan
// reads a photo, it must open as that page, never the app's error page (ADR 020).
test.use({ viewport: { width: 360, height: 740 } });

test("a shopper taps 'Xem nguồn gốc lô này' on a product, and opens a QR photo from /scan", async ({ page }) => {
  await page.goto("/");
  await page.locator("main a[href^='/products/']").first().click();
  await expect(page).toHaveURL(/\/products\/[^/]+$/);
  // The address changes a moment before the product page replaces the list: read the name only
  // once the product page's own link is there, or the list's heading is taken for the product's.
  await expect(page.getByRole("link", { name: "Xem nguồn gốc lô này" })).toBeVisible();
  const productName = (await page.getByRole("heading", { level: 1 }).innerText()).trim();
  await page.getByRole("link", { name: "Xem nguồn gốc lô này" }).click();
  await expect(page).toHaveURL(/\/t\/[23456789A-HJKMNP-Z]{18}$/);
  await expect(page.getByRole("heading", { level: 1, name: productName })).toBeVisible();
  await expect(page.getByText("Có lỗi xảy ra")).toHaveCount(0);
  const traceUrl = page.url();
  await page.screenshot({ path: test.info().outputPath("trace-from-product.png") });

  // Back in the app, the scan page reads a photo of that lot's QR.
  await page.goBack();
  await expect(page.getByRole("link", { name: "Xem nguồn gốc lô này" })).toBeVisible();
  await page.getByRole("link", { name: "Quét mã" }).first().click();
  await expect(page).toHaveURL(/\/scan$/);
  const png = await QRCode.toBuffer(traceUrl, { width: 400, margin: 4 });
  await page.locator("input[type=file][name=photo]").setInputFiles({ name: "qr.png", mimeType: "image/png", buffer: png });
  await page.getByRole("button", { name: /Đọc mã/ }).click();
  await expect(page).toHaveURL(traceUrl);
  await expect(page.getByRole("heading", { level: 1, name: productName })).toBeVisible();
  await expect(page.getByText("Có lỗi xảy ra")).toHaveCount(0);
});
