import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { expect, logIn, logOut, newDemoBatch, signUp, test, vnDateTime, type Page } from "./fixtures";

// A producer's season, unit codes and a printed A4 sheet; then a helper who onboards a household.

async function recordEvent(page: Page, kind: string, fields: Record<string, string>) {
  await page.getByRole("link", { name: `+ ${kind}` }).click();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Nhật ký sản xuất của lô" })).toBeVisible();
}

/** Renders page 1 of a PDF with poppler's pdftoppm, cropped to the first label, and decodes its QR. */
function decodeFirstLabel(pdfPath: string): string | null {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ocop-pdf-")), "label");
  // 150 dpi; an A4 24-up label is 70 × 37 mm ≈ 413 × 219 px.
  execFileSync("pdftoppm", [
    "-r",
    "150",
    "-f",
    "1",
    "-l",
    "1",
    "-x",
    "0",
    "-y",
    "0",
    "-W",
    "413",
    "-H",
    "222",
    "-png",
    "-singlefile",
    pdfPath,
    out,
  ]);
  const png = PNG.sync.read(fs.readFileSync(`${out}.png`));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

test("a producer records a season, issues 24 unit codes, prints the A4 sheet, and a unit's QR opens its trace page", async ({
  page,
  browser,
}) => {
  const lot = `TC-E2E-${Date.now().toString().slice(-6)}`;
  await newDemoBatch(page, lot);

  await recordEvent(page, "Gieo trồng", { "Thời gian": vnDateTime(120), Giống: "Chè Trung du", "Diện tích": "0,8 ha" });
  await recordEvent(page, "Bón phân / phun thuốc", {
    "Thời gian": vnDateTime(20),
    "Tên phân bón / thuốc": "Abamectin",
    "Hoạt chất": "Abamectin 1.8%",
    "Liều lượng": "10 ml / bình 16 lít",
    "Thời gian cách ly (ngày)": "7",
  });
  await recordEvent(page, "Thu hoạch", { "Thời gian": vnDateTime(3), "Số lượng": "120", "Đơn vị": "kg" });
  await expect(page.getByText("Thu hoạch khi chưa hết thời gian cách ly thuốc")).toHaveCount(0);

  await page.getByLabel(/Số mã cần tạo/).fill("24");
  await page.getByRole("button", { name: "Tạo mã cho từng sản phẩm" }).click();
  await expect(page.getByText("Đã tạo 24 mã mới.")).toBeVisible();

  await recordEvent(page, "Đóng gói", { "Thời gian": vnDateTime(1), "Số lượng": "100", "Loại bao bì": "Hộp giấy 200 g" });
  await expect(page.getByText("Đã tạo 24 mã: 0 chưa dùng, 24 đang dùng, 0 đã hủy.")).toBeVisible();
  const season = page.locator("#season + ol > li");
  await expect(season).toHaveCount(4);

  await page.getByLabel("Khổ giấy").selectOption("A4_24");
  await page.getByRole("button", { name: "Tạo file in" }).click();
  await expect(page.getByRole("link", { name: "Tải file PDF" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Đã xong 24 tem.")).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải file PDF" }).click();
  const pdfPath = await (await downloadPromise).path();
  expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe("%PDF-");
  const url = decodeFirstLabel(pdfPath);
  expect(url).toMatch(/\/t\/[23456789A-HJKMNP-Z]{18}$/);

  const shopper = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 640 }, locale: "vi-VN" });
  const scan = await shopper.newPage();
  expect((await scan.goto(url!))?.status()).toBe(200);
  await expect(scan.getByRole("heading", { name: "Chè búp Tân Cương" })).toBeVisible();
  await expect(scan.getByText(lot)).toBeVisible();
  await expect(scan.getByText(/số [23456789A-HJKMNP-Z]{17}/)).toBeVisible();
  await expect(scan.getByText("Đây là lần đầu tiên mã này được quét.")).toBeVisible();
  await expect(scan.getByText("Hành trình của lô hàng")).toBeVisible();
  await expect(scan.getByText("Abamectin 1.8%")).toBeVisible();
  await scan.reload();
  await expect(scan.getByText(/Mã này đã được quét 1 lần/)).toBeVisible();

  // The first label's scratch PIN (printed once, in its box) checks the unit: genuine the first time, "already checked" after.
  const pin = /PIN:\s*(\d{3}) (\d{3})/.exec(execFileSync("pdftotext", ["-layout", "-f", "1", "-l", "1", pdfPath, "-"]).toString());
  expect(pin).not.toBeNull();
  await scan.getByLabel("Mã PIN (6 số)").fill(`${pin![1]}${pin![2]}`);
  await scan.getByLabel(/Bạn đang ở tỉnh, thành nào/).selectOption({ label: "Thái Nguyên" });
  await scan.getByRole("button", { name: "Kiểm tra", exact: true }).click();
  await expect(scan.getByText("Hàng thật: đây là lần kiểm tra đầu tiên.")).toBeVisible();
  await scan.goto(url!);
  await scan.getByLabel("Mã PIN (6 số)").fill(`${pin![1]} ${pin![2]}`);
  await scan.getByRole("button", { name: "Kiểm tra", exact: true }).click();
  await expect(
    scan.getByText(/Mã này đã được kiểm tra lúc .* tại Thái Nguyên: nếu không phải bạn, hàng có thể là hàng giả\./),
  ).toBeVisible();
  await shopper.close();
});

test("a community helper onboards a household with its consent and lists a product for it", async ({ page }) => {
  const suffix = Date.now().toString().slice(-7);
  const helperPhone = `097${suffix}`;
  const householdPhone = `086${suffix}`;

  // The volunteer signs up; an admin grants the helper role.
  await signUp(page, { accountType: "Người mua", name: "Anh Tùng tổ CNS", phone: helperPhone, password: "tinhnguyen123" });
  await logOut(page);
  await logIn(page, "admin@ocop-trace.vn", "quantri123");
  await page.goto("/admin");
  await page.locator("#helper-identifier").fill(helperPhone);
  await page.getByRole("button", { name: "Cấp quyền" }).click();
  await expect(page.getByText("Đã cấp quyền người hỗ trợ.")).toBeVisible();
  await logOut(page);

  // The helper registers the household.
  await logIn(page, helperPhone, "tinhnguyen123");
  await page.getByRole("link", { name: "Hỗ trợ hộ dân" }).click();
  await page.getByRole("link", { name: "Đăng ký một hộ mới" }).click();
  await page.getByLabel("Họ tên chủ hộ").fill("Bà Lò Thị Mai");
  await page.getByLabel("Số điện thoại chủ hộ").fill(householdPhone);
  await page.getByLabel(/Chủ hộ đã đồng ý/).check();
  await page.getByLabel("Tên cơ sở").fill(`Hộ bà Lò Thị Mai ${suffix}`);
  await page.getByLabel("Tỉnh / thành phố").selectOption({ label: "Sơn La" });
  await expect(page.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel("Số nhà, đường / thôn, xóm").fill("Bản Áng");
  await page.getByRole("button", { name: "Đăng ký hộ" }).click();
  await expect(page.getByTestId("claim-code")).toHaveText(/^\d{10}$/);

  // … and acts for it.
  await page.goto("/helper");
  await page.getByRole("button", { name: `Làm việc cho hộ này Hộ bà Lò Thị Mai ${suffix}` }).click();
  await expect(page.getByText(`Bạn đang nhập giúp cho Hộ bà Lò Thị Mai ${suffix}.`)).toBeVisible();
  await page.getByRole("link", { name: "Thêm sản phẩm" }).click();
  await page.getByLabel("Tên sản phẩm").fill("Mận hậu sấy dẻo");
  await page.getByLabel("Nhóm sản phẩm OCOP").selectOption({ label: "Thực phẩm" });
  await page.getByLabel("Đơn vị bán").selectOption({ label: "gói" });
  await page.getByLabel("Giá bán (đồng)").fill("70000");
  await page.getByRole("button", { name: "Lưu sản phẩm" }).click();
  await expect(page.getByRole("heading", { name: "Mận hậu sấy dẻo" })).toBeVisible();
  await expect(page.getByText(`Do Anh Tùng tổ CNS nhập giúp Hộ bà Lò Thị Mai ${suffix}`)).toBeVisible();
});
