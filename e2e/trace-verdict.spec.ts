import { addDemoBatch, e2eDb, expect, logIn, PHONE_UA, test, type Page } from "./fixtures";

// The one verdict a shopper reads at the top of the trace page, for each state, on a
// small phone with JavaScript off. The lots get their states the way they do in life: the
// producer makes a lot and its QR code, the province's inspector fails one, holds another and then recalls it,
// a producer declares a certificate no officer has checked. Each verdict is kept as a screenshot.

test.use({ userAgent: PHONE_UA, viewport: { width: 360, height: 740 }, locale: "vi-VN" });

async function codeOf(lot: string): Promise<string> {
  const db = await e2eDb();
  try {
    return (
      await db.one<{ code: string }>(
        `SELECT c."code" FROM "TraceCode" c JOIN "Batch" b ON b."id" = c."batchId" WHERE b."lotCode" = $1 AND c."kind" = 'BATCH'`,
        [lot],
      )
    ).code;
  } finally {
    await db.close();
  }
}

/** The (logged-in) demo producer makes a lot of its tea and its QR code, by clicking. */
async function lotWithCode(page: Page, lot: string, product?: string): Promise<string> {
  await addDemoBatch(page, lot, product);
  await page.getByRole("button", { name: "Tạo mã QR" }).click();
  await expect.poll(() => codeOf(lot).catch(() => null), { timeout: 10_000 }).not.toBeNull();
  return codeOf(lot);
}

async function shopperSees(page: Page, code: string, verdict: string, text: RegExp | string, shot: string) {
  await page.goto(`/t/${code}`);
  const banner = page.locator(`[data-verdict="${verdict}"]`);
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(text);
  await page.screenshot({ path: test.info().outputPath(`verdict-${shot}.png`), fullPage: false });
  await test.info().attach(`verdict-${shot}`, { path: test.info().outputPath(`verdict-${shot}.png`), contentType: "image/png" });
}

test("the trace page opens with one verdict for each state: genuine, failed, held, recalled, unverified certificate", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const shopper = await (
    await browser.newContext({ javaScriptEnabled: false, userAgent: PHONE_UA, viewport: { width: 360, height: 740 }, locale: "vi-VN" })
  ).newPage();

  // Genuine: the seeded demo lot.
  await shopperSees(shopper, "CHETANCVNG2345ABCD", "ok", "Hàng có nguồn gốc rõ ràng", "genuine");

  // Two new lots with their QR codes, made by the producer.
  const producer = await (await browser.newContext({ locale: "vi-VN" })).newPage();
  await logIn(producer, "0912345678", "nongdan123");
  const failedCode = await lotWithCode(producer, "E2E-KD");
  const heldCode = await lotWithCode(producer, "E2E-TG");

  // The Thái Nguyên inspector fails one on a lab result: the lot is held at once, and the page says so in red.
  const inspector = await (await browser.newContext({ locale: "vi-VN" })).newPage();
  await logIn(inspector, "thanhtra@ocop-trace.vn", "thanhtra123");
  await inspector.getByRole("link", { name: "Thanh tra" }).click();
  await inspector.getByRole("link", { name: "Lô E2E-KD · Chè búp Tân Cương" }).click();
  await inspector.getByLabel("Kết quả", { exact: true }).selectOption({ label: "Không đạt" });
  await inspector.getByLabel("Chỉ tiêu 1").fill("Abamectin");
  await inspector.getByLabel("Giá trị đo 1").fill("0,08");
  await inspector.getByLabel("Giới hạn 1").fill("0,05");
  await inspector.getByLabel("Đơn vị 1").fill("mg/kg");
  await inspector.getByRole("button", { name: "Lưu và ký" }).click();
  await expect(inspector.getByText("Đã lưu, ký số và ghi vào sổ công khai.")).toBeVisible();
  await shopperSees(shopper, failedCode, "failed", /Không đạt kiểm tra ngày/, "failed");
  // The "history not modified" line is never green above a failed test.
  await expect(shopper.locator('[data-verdict="failed"]')).not.toHaveClass(/green|emerald|brand-/);

  // The other is held for a test: do not eat until there is a result.
  await inspector.goto("/inspector");
  await inspector.getByRole("link", { name: "Lô E2E-TG · Chè búp Tân Cương" }).click();
  await inspector.getByLabel("Lý do tạm giữ").fill("Chờ kết quả xét nghiệm dư lượng");
  await inspector.getByRole("button", { name: "Tạm giữ lô" }).click();
  await expect(inspector.getByText("Lý do tạm giữ: Chờ kết quả xét nghiệm dư lượng")).toBeVisible();
  await shopperSees(shopper, heldCode, "held", /Chưa dùng: lô đang bị tạm giữ/, "held");

  // Then the inspector recalls the held lot: return it.
  await inspector.getByLabel("Lý do thu hồi").fill("Dư lượng thuốc vượt giới hạn");
  await inspector.getByLabel("Cấp độ thu hồi").selectOption({ label: "Cấp I — có thể gây hại nghiêm trọng" });
  await inspector.getByLabel("Hướng dẫn cho người tiêu dùng").fill("Ngừng sử dụng, mang trả nơi mua để được hoàn tiền.");
  await inspector.getByRole("button", { name: "Thu hồi ngay" }).click();
  await expect(inspector.getByRole("heading", { name: "Thu hồi lô E2E-TG" })).toBeVisible();
  await shopperSees(shopper, heldCode, "recalled", /THU HỒI/, "recalled");

  // A certificate the producer declared that no officer has verified (the demo's 3★ claim for "Chè móc
  // câu đặc biệt" waits in Thái Nguyên's queue): a new lot of it shows no stars, and the verdict says so.
  const unverifiedCode = await lotWithCode(producer, "E2E-CN", "Chè móc câu đặc biệt");
  await shopperSees(shopper, unverifiedCode, "unverified", /xác minh/, "unverified");
  await expect(shopper.getByText(/OCOP \d sao/)).toHaveCount(0);
});
