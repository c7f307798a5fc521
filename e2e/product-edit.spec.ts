import sharp from "sharp";
import { e2eDb, expect, logIn, test, type Page } from "./fixtures";

// A producer on a cheap phone (360 × 740, a slow upload link): creates a product with a 12-megapixel
// camera photo (over the 5 MB limit as it comes off the camera), which the phone shrinks before
// sending, with a progress bar; edits its price; adds, reorders and deletes photos; all by clicking.

test.use({ viewport: { width: 360, height: 740 } });
test.setTimeout(150_000);

/** A 4000 × 3000 camera-like JPEG (fine grain everywhere, as a real photo has): over 5 MB. */
async function cameraPhoto(): Promise<Buffer> {
  const w = 1200;
  const h = 900;
  const grain = Buffer.alloc(w * h * 3);
  let x = 2463534242;
  for (let i = 0; i < grain.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    grain[i] = x & 0xff;
  }
  return sharp(grain, { raw: { width: w, height: h, channels: 3 } })
    .resize(4000, 3000)
    .jpeg({ quality: 92 })
    .toBuffer();
}

const plainPhoto = (color: string) =>
  sharp({ create: { width: 900, height: 600, channels: 3, background: color } })
    .jpeg()
    .toBuffer();

/** The photos on the product page, top to bottom, by their storage keys. */
const photoOrder = (page: Page) => page.locator("li[data-photo]").evaluateAll((items) => items.map((li) => li.getAttribute("data-photo")));

test("a producer adds a product with a big camera photo, edits its price, and orders and deletes its photos", async ({ page }) => {
  const raw = await cameraPhoto();
  expect(raw.byteLength).toBeGreaterThan(5 * 1024 * 1024);
  const name = `Mật ong bạc hà ${Date.now().toString().slice(-6)}`;

  await logIn(page, "0912345678", "nongdan123");
  await page.goto("/producer");
  await page.getByRole("link", { name: "Thêm sản phẩm" }).click();
  await page.getByLabel("Tên sản phẩm").fill(name);
  await page.getByLabel("Nhóm sản phẩm OCOP").selectOption({ index: 1 });
  await page.getByLabel("Đơn vị bán").selectOption({ label: "chai" });
  await page.getByLabel("Giá bán (đồng)").fill("250000");
  await page.getByLabel("Mô tả").fill("Mật ong hoa bạc hà Đồng Văn");
  await page.getByLabel("Ảnh sản phẩm (không bắt buộc)").setInputFiles({ name: "IMG_2041.jpg", mimeType: "image/jpeg", buffer: raw });

  // A slow 3G upload (~100 kB/s), so the progress bar has time to be seen.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: 400 * 1024,
    uploadThroughput: 100 * 1024,
  });
  const sent = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/producer/products/new.json");
  await page.getByRole("button", { name: "Lưu sản phẩm" }).click();
  const request = await sent;
  const sending = page.getByText(/^Đang gửi: \d+%/);
  await expect(sending).toHaveText(/\/ [\d,]+ MB\)$/);
  // The progress says how much goes over the link: the whole form, with the shrunk photo in it.
  const total = /\/ ([\d,]+) MB\)$/.exec((await sending.textContent()) ?? "");
  expect(total).not.toBeNull();
  const sentMb = Number(total![1]!.replace(",", "."));
  await expect(page.getByLabel("Tiến độ gửi")).toBeVisible();
  await expect(page.getByText(/Ảnh đã được thu nhỏ trên máy: [\d,]+ MB → [\d,]+ (MB|kB)\./)).toBeVisible();
  await expect(page.getByRole("button", { name: "Dừng gửi" })).toBeInViewport();
  await page.screenshot({ path: "test-results/product-edit-1-uploading.png" });
  await expect(page.getByRole("heading", { name })).toBeVisible({ timeout: 30_000 });
  const requestBodySize = Number((await request.allHeaders())["content-length"] ?? sentMb * 1e6);
  expect(sentMb * 1e6).toBeLessThan(raw.byteLength / 3);
  expect(requestBodySize).toBeLessThan(raw.byteLength / 3);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(page.getByText("Ảnh chính", { exact: true })).toBeVisible();
  const productId = new URL(page.url()).pathname.split("/").pop()!;
  const db = await e2eDb();
  try {
    // What arrived was the phone's 1600 px copy, not the 4000 px original.
    const stored = await db.one<{ width: number; height: number }>(`SELECT width, height FROM "ProductImage" WHERE "productId" = $1`, [
      productId,
    ]);
    expect(stored).toEqual({ width: 1600, height: 1200 });
    console.log(
      `camera photo ${raw.byteLength} B → sent form ${requestBodySize} B (${(requestBodySize / raw.byteLength).toFixed(3)} of the raw file)`,
    );

    // Price.
    await page.getByLabel("Giá bán (đồng)").fill("275.000");
    await page.getByRole("button", { name: "Lưu thay đổi" }).click();
    await expect(page.getByText("Đã lưu thay đổi.")).toBeVisible();
    await expect(page.getByText(/275\.000\s₫ \/ chai/)).toBeVisible();
    expect((await db.one<{ priceVnd: number }>(`SELECT "priceVnd" FROM "Product" WHERE id = $1`, [productId])).priceVnd).toBe(275000);

    // A file too large that the phone cannot shrink is refused before anything is sent.
    const posted: string[] = [];
    page.on("request", (r) => r.method() === "POST" && posted.push(new URL(r.url()).pathname));
    const photoField = page.getByLabel("Thêm ảnh", { exact: true });
    await photoField.setInputFiles({ name: "hong.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(6 * 1024 * 1024, 7) });
    await page.getByRole("button", { name: "Tải ảnh lên" }).click();
    await expect(page.getByText("Tệp quá lớn (6,3 MB), tối đa 5 MB. Chưa gửi gì.")).toBeVisible();
    expect(posted).toEqual([]);

    // Two more photos; the field is emptied after each, so the same photo is not sent twice.
    for (const color of ["#c0392b", "#2471a3"]) {
      await photoField.setInputFiles({ name: `anh-${color.slice(1)}.jpg`, mimeType: "image/jpeg", buffer: await plainPhoto(color) });
      const before = await page.locator("li[data-photo]").count();
      await page.getByRole("button", { name: "Tải ảnh lên" }).click();
      await expect(page.locator("li[data-photo]")).toHaveCount(before + 1);
      await expect(page.getByText("Đã thêm ảnh.")).toBeVisible();
      await expect(photoField).toHaveValue("");
    }
    expect(posted.filter((p) => p.endsWith("/photos.json"))).toHaveLength(2);
    const [first, second, third] = await photoOrder(page);

    // The third photo up, twice: it becomes the main photo.
    await page.getByRole("button", { name: "Đưa ảnh 3 lên trước" }).click();
    await expect.poll(() => photoOrder(page)).toEqual([first, third, second]);
    await page.getByRole("button", { name: "Đưa ảnh 2 lên trước" }).click();
    await expect.poll(() => photoOrder(page)).toEqual([third, first, second]);
    await page.screenshot({ path: "test-results/product-edit-2-photos.png", fullPage: true });
    const saved = await db.all<{ storageKey: string }>(`SELECT "storageKey" FROM "ProductImage" WHERE "productId" = $1 ORDER BY position`, [
      productId,
    ]);
    expect(saved.map((r) => r.storageKey)).toEqual([third, first, second]);

    // Delete the camera photo, after saying yes.
    await page.getByRole("link", { name: "Xóa ảnh 2" }).click();
    await expect(page.getByText("Xóa ảnh này? Xóa rồi không lấy lại được.")).toBeVisible();
    await page.screenshot({ path: "test-results/product-edit-3-confirm.png" });
    await page.getByRole("link", { name: "Không, giữ lại" }).click();
    await expect(page.locator("li[data-photo]")).toHaveCount(3);
    await page.getByRole("link", { name: "Xóa ảnh 2" }).click();
    await page.getByRole("button", { name: "Xóa ảnh", exact: true }).click();
    await expect(page.getByText("Đã xóa ảnh.")).toBeVisible();
    await expect.poll(() => photoOrder(page)).toEqual([third, second]);
    expect(await db.all(`SELECT 1 FROM "StoredFile" WHERE key LIKE $1`, [`${first}%`])).toHaveLength(0);

    // A photo of the certificate's decision is shrunk the same way; the page goes back to the product.
    await page.getByRole("link", { name: "Thêm chứng nhận OCOP" }).click();
    await page.getByLabel("Số sao").selectOption({ label: "3 ★" });
    for (const [label, value] of [
      [/^Điểm phần A/, "25"],
      [/^Điểm phần B/, "15"],
      [/^Điểm phần C/, "15"],
      [/^Tổng điểm/, "55"],
    ] as const)
      await page.getByLabel(label).fill(value);
    await page.getByLabel("Cấp công nhận").selectOption("PROVINCE");
    await page.getByLabel("Cơ quan công nhận").fill("UBND tỉnh Hà Giang");
    await page.getByLabel("Số quyết định").fill(`${Date.now() % 100000}/QĐ-UBND`);
    await page.getByLabel("Ngày quyết định").fill("2025-06-01");
    await page.getByLabel("Bản chụp giấy chứng nhận").setInputFiles({ name: "quyet-dinh.jpg", mimeType: "image/jpeg", buffer: raw });
    const certificateSent = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/certificates/new.json"));
    await page.getByRole("button", { name: "Lưu chứng nhận" }).click();
    expect(Number((await (await certificateSent).allHeaders())["content-length"])).toBeLessThan(raw.byteLength / 3);
    await expect(page.getByRole("heading", { name: "Chứng nhận OCOP" })).toBeVisible();
    await expect(page.getByText(/Đang chờ xác minh/).first()).toBeVisible();
    const cert = await db.one<{ fileMimeType: string }>(`SELECT "fileMimeType" FROM "OcopCertificate" WHERE "productId" = $1`, [productId]);
    expect(cert.fileMimeType).toBe("image/jpeg");

    // The same page in English.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Product photos" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Edit price, unit, description" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Move photo 2 up" })).toBeVisible();
    await page.screenshot({ path: "test-results/product-edit-4-english.png", fullPage: true });
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
    await expect(page.getByRole("heading", { name: "Ảnh sản phẩm" })).toBeVisible();
  } finally {
    await db.close();
  }
});

test("without JavaScript the same forms post as plain forms: a product with a photo, another photo, a move, a delete", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: "vi-VN" });
  const page = await context.newPage();
  try {
    const name = `Chè shan tuyết ${Date.now().toString().slice(-6)}`;
    await logIn(page, "0912345678", "nongdan123");
    await page.goto("/producer");
    await page.getByRole("link", { name: "Thêm sản phẩm" }).click();
    await page.getByLabel("Tên sản phẩm").fill(name);
    await page.getByLabel("Nhóm sản phẩm OCOP").selectOption({ index: 2 });
    await page.getByLabel("Đơn vị bán").selectOption({ label: "gói" });
    await page.getByLabel("Giá bán (đồng)").fill("90000");
    await page
      .getByLabel("Ảnh sản phẩm (không bắt buộc)")
      .setInputFiles({ name: "che.jpg", mimeType: "image/jpeg", buffer: await plainPhoto("#1e8449") });
    await page.getByRole("button", { name: "Lưu sản phẩm" }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await expect(page.locator("li[data-photo]")).toHaveCount(1);

    await page
      .getByLabel("Thêm ảnh", { exact: true })
      .setInputFiles({ name: "goi.jpg", mimeType: "image/jpeg", buffer: await plainPhoto("#f4d03f") });
    await page.getByRole("button", { name: "Tải ảnh lên" }).click();
    await expect(page.locator("li[data-photo]")).toHaveCount(2);
    await expect(page.getByLabel("Thêm ảnh", { exact: true })).toHaveValue("");
    const [green, yellow] = await photoOrder(page);
    await page.getByRole("button", { name: "Đưa ảnh 2 lên trước" }).click();
    await expect.poll(() => photoOrder(page)).toEqual([yellow, green]);
    await page.getByRole("link", { name: "Xóa ảnh 1" }).click();
    await page.getByRole("button", { name: "Xóa ảnh", exact: true }).click();
    await expect(page.getByText("Đã xóa ảnh.")).toBeVisible();
    await expect.poll(() => photoOrder(page)).toEqual([green]);
    await page.screenshot({ path: "test-results/product-edit-5-no-js.png", fullPage: true });
  } finally {
    await context.close();
  }
});
