import fs from "node:fs";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { expect, logIn, logOut, signUp, test } from "./fixtures";

// The whole first slice, as people do it: a household signs up, an admin approves
// it, it lists a product and a batch, prints a label, and a shopper's phone with
// JavaScript off opens what the printed QR says.

const phone = `09${String(Date.now()).slice(-8)}`;
const farmName = `Hộ bà Lê Thị Thu ${phone.slice(-4)}`;
const password = "matkhau-nongdan";

test("sign up → profile → approval → product → batch → QR label → scan with JavaScript off", async ({ page, browser }) => {
  // 1. Sign up as a producer.
  //    The form sends a code (read here from the outbox, as the farmer reads the SMS), then the code makes the account.
  await signUp(page, { accountType: "Người sản xuất", name: "Lê Thị Thu", phone, password });

  // 2. Producer profile, two-level address: province, then its wards.
  await expect(page.getByRole("heading", { name: "Tạo hồ sơ cơ sở sản xuất" })).toBeVisible();
  await page.getByLabel("Loại hình").selectOption("HOUSEHOLD");
  await page.getByLabel("Tên cơ sở").fill(farmName);
  await page.getByLabel("Tỉnh / thành phố").selectOption({ label: "Sơn La" });
  await expect(page.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel("Số nhà, đường / thôn, xóm").fill("Bản Áng");
  await page.getByRole("button", { name: "Gửi hồ sơ" }).click();
  await expect(page.getByText("Hồ sơ đang chờ cán bộ duyệt")).toBeVisible();
  await logOut(page);

  // 3. The admin approves it.
  await logIn(page, "admin@ocop-trace.vn", "quantri123");
  await page.goto("/admin");
  await page.getByRole("button", { name: `Duyệt ${farmName}` }).click();
  await expect(page.getByRole("button", { name: `Duyệt ${farmName}` })).toHaveCount(0);
  await logOut(page);

  // 4. The producer lists a product and a batch.
  await logIn(page, phone, password);
  await page.goto("/producer");
  await expect(page.getByText("Hồ sơ đang chờ cán bộ duyệt")).toHaveCount(0);
  await page.getByRole("link", { name: "Thêm sản phẩm" }).click();
  await page.getByLabel("Tên sản phẩm").fill("Mận hậu sấy dẻo");
  await page.getByLabel("Nhóm sản phẩm OCOP").selectOption({ label: "Thực phẩm" });
  await page.getByLabel("Đơn vị bán").selectOption({ label: "gói" });
  await page.getByLabel("Giá bán (đồng)").fill("85000");
  await page.getByRole("button", { name: "Lưu sản phẩm" }).click();
  await expect(page.getByRole("heading", { name: "Mận hậu sấy dẻo" })).toBeVisible();
  await expect(page.getByText("85.000")).toBeVisible();

  await page.getByRole("link", { name: "Thêm lô hàng" }).click();
  await page.getByLabel("Mã lô").fill("MH-2026-11");
  await page.getByLabel("Ngày sản xuất / thu hoạch").fill("2026-11-02");
  await page.getByLabel("Hạn sử dụng").fill("2027-05-02");
  await page.getByLabel("Số lượng (gói)").fill("300");
  await page.getByRole("button", { name: "Lưu lô hàng" }).click();

  // 5. Issue the QR code and download the PNG label.
  await page.getByRole("button", { name: "Tạo mã QR" }).click();
  await expect(page.getByRole("img", { name: "Tem QR của lô MH-2026-11" })).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải tem (PNG)" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe("nhan-MH-2026-11.png");
  const png = PNG.sync.read(fs.readFileSync(await download.path()));
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(qr, "the label's QR decodes").not.toBeNull();
  const url = qr!.data;
  expect(url).toMatch(new RegExp(`^${test.info().project.use.baseURL}/t/[23456789A-HJKMNP-Z]{18}$`));

  // 6. A shopper's phone, JavaScript off, opens the decoded URL.
  const shopper = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 640 }, locale: "vi-VN" });
  const scan = await shopper.newPage();
  const response = await scan.goto(url);
  expect(response?.status()).toBe(200);
  await expect(scan.getByRole("heading", { name: "Mận hậu sấy dẻo" })).toBeVisible();
  await expect(scan.getByText(farmName)).toBeVisible();
  await expect(scan.getByText("Phường Mộc Châu, Sơn La")).toBeVisible();
  await expect(scan.getByText("MH-2026-11")).toBeVisible();
  await expect(scan.getByText("300 gói")).toBeVisible();
  // Nothing spills sideways on a 360 px screen.
  const overflow = await scan.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shopper.close();

  // The producer sees the scan counted.
  await page.reload();
  await expect(page.getByText("Đã được quét 1 lần")).toBeVisible();
});

test("an unknown code says plainly, in Vietnamese, that it is not in the system", async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: "vi-VN" });
  const page = await ctx.newPage();
  const response = await page.goto("/t/ZZZZZZZZZZZZZZZZZZ");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Mã này không có trong hệ thống" })).toBeVisible();
  await expect(page.getByText("Sản phẩm có thể không phải hàng thật")).toBeVisible();
  await ctx.close();
});

test("the demo trace URL works and the language switch works without JavaScript", async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: "vi-VN" });
  const page = await ctx.newPage();
  await page.goto("/t/CHETANCVNG2345ABCD");
  await expect(page.getByRole("heading", { name: "Chè búp Tân Cương" })).toBeVisible();
  await expect(page.getByText("Nơi sản xuất")).toBeVisible();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByText("Made by")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await ctx.close();
});
