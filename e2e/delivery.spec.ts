import sharp from "sharp";
import jsQR from "jsqr";
import { QRPay } from "vietnam-qr-pay";
import { expect, logIn, logOut, test, type Page } from "./fixtures";

// A shopper on a small phone sees the delivery fee and time for two provinces on the product
// page, checks out to one of them with the fee in the order's total and in the VietQR code
// (decoded from the saved image); the producer ships with a carrier and tracking number, and
// the buyer's order page links to that carrier's tracking page. The demo tea (250.000 ₫) comes
// from Thái Nguyên: 15.000 ₫ inside the province, 35.000 ₫ elsewhere, free from 500.000 ₫.

test.use({ viewport: { width: 360, height: 740 } });

const shoot = (page: Page, name: string) => page.screenshot({ path: `test-results/delivery/${name}.png`, fullPage: true });

async function feeFor(page: Page, province: string) {
  const box = page.getByTestId("product-delivery");
  await box.getByLabel("Tỉnh/thành nhận hàng").selectOption({ label: province });
  await box.getByRole("button", { name: "Xem phí giao" }).click();
  await expect(box).toContainText(`Giao đến ${province}`);
  return (await box.textContent()) ?? "";
}

test("the fee for the shopper's province, in the total and the VietQR code; shipped with a tracking link", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await page.getByRole("searchbox").fill("che tan cuong");
  await page.getByRole("button", { name: "Tìm", exact: true }).click();
  await page
    .getByRole("link", { name: /Chè búp Tân Cương/ })
    .first()
    .click();
  expect(await feeFor(page, "Thái Nguyên")).toMatch(/Phí giao: 15\.000/);
  expect(await feeFor(page, "Sơn La")).toMatch(/Phí giao: 35\.000/);
  await shoot(page, "1-product-fee");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await page.getByLabel("Số lượng").fill("1");
  await page.getByRole("button", { name: "Thêm vào giỏ" }).click();
  await expect(page.getByText("Đã thêm vào giỏ hàng.")).toBeVisible();
  await page.getByRole("link", { name: /^Giỏ hàng/ }).click();
  // The cart remembers the province chosen on the product page.
  await expect(page.getByText(/Phí giao: 35\.000/)).toBeVisible();
  await expect(page.getByText(/285\.000/)).toBeVisible();
  await shoot(page, "2-cart-fee");
  await page.getByRole("link", { name: "Đặt hàng", exact: true }).click();
  // Checkout starts at the province chosen for fees and shows the fee and total before placing;
  // the pickup point takes the fee off, and un-ticking it puts it back.
  await expect(page.getByLabel("Tỉnh / thành phố")).toHaveValue("14");
  const checkoutFees = page.getByTestId("checkout-delivery");
  await expect(checkoutFees).toContainText(/Phí giao: 35\.000/);
  await expect(page.getByTestId("checkout-total-with-fees")).toHaveText(/285\.000/);
  const pickup = checkoutFees.getByRole("checkbox", { name: /tự đến lấy hàng/ });
  await pickup.check();
  await expect(page.getByTestId("checkout-total-with-fees")).toHaveText(/250\.000/);
  await shoot(page, "3a-checkout-fee");
  await pickup.uncheck();
  await expect(page.getByTestId("checkout-total-with-fees")).toHaveText(/285\.000/);
  await page.getByLabel("Họ và tên").fill("Lò Thị Hoa");
  await page.getByLabel("Số điện thoại").fill("0971 234 622");
  await expect(page.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel("Số nhà, đường / thôn, xóm").fill("Bản Áng, tổ 2");
  await page.getByLabel(/VietQR/).check();
  await page.getByRole("button", { name: "Đặt hàng", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đã đặt hàng" })).toBeVisible();
  const title = page.getByRole("heading", { level: 2, name: /^Đơn hàng DH/ });
  const code = (await title.textContent())!.replace("Đơn hàng", "").trim();
  await expect(page.getByTestId("order-delivery").first()).toContainText(/Phí giao: 35\.000/);

  // The VietQR code the buyer saves carries the goods and the fee: decoded from the PNG itself.
  const panel = page.getByTestId("vietqr-panel");
  const pngHref = await panel.getByRole("link", { name: "Lưu ảnh QR" }).getAttribute("href");
  const png = await (await page.request.get(pngHref!)).body();
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const qr = jsQR(new Uint8ClampedArray(data), info.width, info.height);
  expect(qr, "the saved VietQR image decodes").not.toBeNull();
  const pay = new QRPay(qr!.data);
  expect(pay.isValid).toBe(true);
  expect(pay.amount).toBe("285000");
  await shoot(page, "3-vietqr");
  const orderUrl = page.url();

  // The household marks the transfer received, packs and ships with GHN and a tracking number.
  const producer = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await logIn(producer, "0912345678", "nongdan123");
  await producer.goto("/producer/orders");
  const card = () => producer.getByRole("listitem").filter({ has: producer.getByText(`Đơn hàng ${code}`) });
  await card().getByRole("button", { name: "Đã nhận tiền chuyển khoản" }).click();
  await expect(card().getByRole("button", { name: "Đã nhận tiền chuyển khoản" })).toHaveCount(0);
  await card().getByRole("button", { name: "Đã đóng gói" }).click();
  await expect(card().getByRole("button", { name: "Đã đóng gói" })).toHaveCount(0);
  await card().getByLabel("Đơn vị vận chuyển").selectOption({ label: "Giao Hàng Nhanh (GHN)" });
  await card().getByLabel("Mã vận đơn").fill("gy-7d4k 2pq");
  await shoot(producer, "4-ship-form");
  await card().getByRole("button", { name: "Đã gửi hàng" }).click();
  await expect(card().getByText("Đang giao")).toBeVisible();
  await logOut(producer);
  await producer.close();

  // The buyer's order page names the carrier and the number, and links to GHN's tracking page.
  await page.goto(orderUrl);
  const delivery = page.getByTestId("order-delivery").first();
  await expect(delivery).toContainText("Giao Hàng Nhanh (GHN)");
  await expect(delivery).toContainText("GY7D4K2PQ");
  const href = await delivery.getByTestId("tracking-link").getAttribute("href");
  expect(new URL(href!).hostname).toMatch(/ghn\.vn$/);
  expect(href).toContain("GY7D4K2PQ");
  await shoot(page, "5-tracking");
});
