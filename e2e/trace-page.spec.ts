import zlib from "node:zlib";
import AxeBuilder from "@axe-core/playwright";
import { e2eDb, expect, logIn, PHONE_UA, test } from "./fixtures";

// The scan page as a shopper meets it: JavaScript off, a small Android phone, Vietnamese.
test.use({ javaScriptEnabled: false, userAgent: PHONE_UA, viewport: { width: 360, height: 740 }, locale: "vi-VN" });

async function batchCodeOf(productName: string): Promise<{ code: string; batchId: string }> {
  const db = await e2eDb();
  try {
    return await db.one(
      `SELECT c."code", c."batchId" FROM "TraceCode" c JOIN "Batch" b ON b."id" = c."batchId" JOIN "Product" p ON p."id" = b."productId" WHERE p."name" = $1 AND c."kind" = 'BATCH' LIMIT 1`,
      [productName],
    );
  } finally {
    await db.close();
  }
}

test("the full story of the seeded demo batch", async ({ page }) => {
  const response = await page.goto("/t/CHETANCVNG2345ABCD");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Chè búp Tân Cương" })).toBeVisible();
  await expect(page.getByText("OCOP 4 sao")).toBeVisible();
  // The seed verifies it through the OCOP officer's path (ADR 016): the page names who vouched.
  await expect(page.getByText("Sở NN&PTNT Thái Nguyên xác minh ngày")).toBeVisible();
  await expect(page.getByText("HTX Chè Tân Cương")).toBeVisible();
  await expect(page.getByText("Xã Tân Cương, Thái Nguyên")).toBeVisible();
  for (const step of ["Gieo trồng", "Bón phân / phun thuốc", "Thu hoạch", "Chế biến", "Đóng gói"])
    await expect(page.getByText(new RegExp(`^${step} ·`)).first()).toBeVisible();
  await expect(page.getByText("Bacillus thuringiensis")).toBeVisible();
  await expect(page.getByText("Mọi bản ghi của lô này đã vào sổ công khai", { exact: false })).toBeVisible();
  await expect(page.getByText(/^Sổ công khai: bản ghi số \d+$/).first()).toBeVisible();
  await expect(page.getByText("Lô này chưa được cơ quan quản lý kiểm tra.")).toBeVisible();
  expect(await page.locator("script[src]").count()).toBe(0); // no app bundle on the scan page
});

test("a recalled batch shows the red banner with what to do", async ({ page }) => {
  const { code, batchId } = await batchCodeOf("Long nhãn sấy");
  const db = await e2eDb();
  const admin = await db.one<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = 'admin@ocop-trace.vn'`);
  await db.run(
    `INSERT INTO "Recall" ("id", "batchId", "reason", "severity", "instructions", "status", "createdById", "createdAt") VALUES ($1, $2, $3, 1, $4, 'OPEN', $5, $6)`,
    [`e2e-recall-${Date.now()}`, batchId, "Phát hiện nấm mốc", "Không ăn. Mang trả lại nơi mua để được hoàn tiền.", admin.id, new Date()],
  );
  // Written behind the app's back: move the batch's view version as the app's own writes do, so a cached page is not served.
  await db.run(`UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" = $1`, [batchId]);
  await db.close();
  await page.goto(`/t/${code}`);
  await expect(page.getByText("SẢN PHẨM BỊ THU HỒI — KHÔNG SỬ DỤNG")).toBeVisible();
  await expect(page.getByText("Lý do: Phát hiện nấm mốc")).toBeVisible();
  await expect(page.getByText("Không ăn. Mang trả lại nơi mua để được hoàn tiền.")).toBeVisible();
});

test("unit codes: first scan, second scan, and a VOID code's warning", async ({ page, browser }) => {
  const producer = await browser.newContext({ javaScriptEnabled: true, locale: "vi-VN" });
  const p = await producer.newPage();
  await logIn(p, "0916789012", "nongdan123");
  const { batchId } = await batchCodeOf("Cà phê nhân Robusta");
  await p.goto(`/producer/batches/${batchId}`);
  await p.getByLabel(/Số mã cần tạo/).fill("3");
  await p.getByRole("button", { name: "Tạo mã cho từng sản phẩm" }).click();
  await expect(p.getByText("Đã tạo 3 mã mới.")).toBeVisible();
  await p.getByRole("button", { name: "Kích hoạt 3 mã" }).click();
  await expect(p.getByText("Đã kích hoạt 3 mã.")).toBeVisible();
  // Serials are random: void the last one in print order by the serial printed on its label.
  const db = await e2eDb();
  const codes = await db.all<{ serial: string; code: string }>(
    `SELECT "serial", "code" FROM "TraceCode" WHERE "batchId" = $1 AND "kind" = 'UNIT' ORDER BY "issuedAt", "serial"`,
    [batchId],
  );
  await db.close();
  await p.getByText("Hủy mã (tem hỏng, in thừa, bị mất)").click();
  await p.getByLabel("Từ số").fill(codes[2]!.serial.toLowerCase());
  await p.getByLabel("Đến số").fill(codes[2]!.serial);
  await p.getByLabel("Lý do hủy").fill("Tem bị rách khi dán");
  await p.getByRole("button", { name: "Hủy các mã này" }).click();
  await expect(p.getByText("Đã hủy 1 mã.")).toBeVisible();
  await producer.close();

  await page.goto(`/t/${codes[0]!.code}`);
  await expect(page.getByText("Đây là lần đầu tiên mã này được quét.")).toBeVisible();
  await page.goto(`/t/${codes[0]!.code}`);
  await expect(page.getByText(/Mã này đã được quét 1 lần, lần đầu ngày/)).toBeVisible();
  await page.goto(`/t/${codes[2]!.code}`);
  await expect(page.getByRole("heading", { name: "Mã này đã bị hủy" })).toBeVisible();
  await expect(page.getByText("Cà phê nhân Robusta")).toHaveCount(0); // no origin story for a void code
});

test("an unknown code gets a plain 404", async ({ page }) => {
  expect((await page.goto("/t/ZZZZZZZZZZZZZZZZZZ"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Mã này không có trong hệ thống" })).toBeVisible();
});

test("report a problem works without JavaScript", async ({ page }) => {
  await page.goto("/t/CHETANCVNG2345ABCD");
  await page.getByRole("link", { name: "Báo cáo vấn đề với sản phẩm này" }).click();
  await page.getByRole("button", { name: "Gửi báo cáo" }).click();
  await expect(page.getByText("Vui lòng điền mục này.")).toBeVisible();
  await page.getByLabel("Chất lượng kém").check();
  await page.getByLabel("Mô tả ngắn").fill("Chè bị ẩm, có mùi lạ");
  await page.getByLabel(/Số điện thoại/).fill("0987 111 222");
  await page.getByRole("button", { name: "Gửi báo cáo" }).click();
  await expect(page.getByText("Đã nhận báo cáo. Cán bộ quản lý sẽ xem xét. Cảm ơn bạn!")).toBeVisible();
  const db = await e2eDb();
  const row = await db.first(`SELECT "kind", "message", "phone" FROM "ConsumerReport" ORDER BY "createdAt" DESC LIMIT 1`);
  await db.close();
  expect(row).toEqual({ kind: "QUALITY", message: "Chè bị ẩm, có mùi lạ", phone: "0987111222" });
});

test("the first visit transfers at most 60 KB compressed and has no serious accessibility problem", async ({
  page,
  request,
  baseURL,
  browser,
}) => {
  await page.goto("/t/CHETANCVNG2345ABCD");
  const urls = [
    `${baseURL}/t/CHETANCVNG2345ABCD`,
    ...(await page.locator("link[rel=stylesheet]").evaluateAll((ls) => ls.map((l) => (l as HTMLLinkElement).href))),
  ];
  let total = 0;
  for (const url of urls) {
    const res = await request.get(url, { headers: { "Accept-Encoding": "gzip", "User-Agent": PHONE_UA } });
    const body = await res.body();
    // Playwright hands back the decoded body; count what travels: its gzip size.
    total += zlib.gzipSync(body).length;
  }
  console.log(`trace page first visit: ${total} bytes gzip (HTML + CSS, no JS)`);
  expect(total).toBeLessThanOrEqual(60 * 1024);
  // axe runs as a script in the page, so this check uses a context with JavaScript on.
  const ctx = await browser.newContext({
    javaScriptEnabled: true,
    userAgent: PHONE_UA,
    viewport: { width: 360, height: 740 },
    locale: "vi-VN",
  });
  const axePage = await ctx.newPage();
  await axePage.goto("/t/CHETANCVNG2345ABCD");
  const axe = await new AxeBuilder({ page: axePage }).analyze();
  await ctx.close();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});
