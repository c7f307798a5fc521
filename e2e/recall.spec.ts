import { e2eDb, expect, logIn, PHONE_UA, test } from "./fixtures";

// The inspector's day: work the queue, fail a lot on a lab result, recall it; then
// everyone downstream sees it — the person scanning a unit, the shop, the buyer.

test("an inspector fails a lot on a lab result and recalls it; the scan, the shop and the buyer's order all show it", async ({
  page,
  browser,
}) => {
  const db = await e2eDb();
  const lot = await db.one<{ id: string; lotCode: string; productId: string }>(
    `SELECT b."id", b."lotCode", p."id" AS "productId" FROM "Batch" b JOIN "Product" p ON p."id" = b."productId" WHERE p."name" = 'Chè móc câu đặc biệt'`,
  );

  // The producer prints two unit labels for the lot.
  const producerContext = await browser.newContext({ locale: "vi-VN" });
  const producer = await producerContext.newPage();
  await logIn(producer, "0912345678", "nongdan123");
  await producer.goto(`/producer/batches/${lot.id}`);
  await producer.getByLabel(/Số mã cần tạo/).fill("2");
  await producer.getByRole("button", { name: "Tạo mã cho từng sản phẩm" }).click();
  await producer.getByRole("button", { name: "Kích hoạt 2 mã" }).click();
  await expect(producer.getByText("Đã kích hoạt 2 mã.")).toBeVisible();
  await producerContext.close();

  // A shopper buys two packs, and puts one more in the cart for later.
  const shopper = await (await browser.newContext({ locale: "vi-VN" })).newPage();
  await logIn(shopper, "0987654321", "nguoimua123");
  await shopper.goto(`/products/${lot.productId}`);
  await shopper.getByLabel("Số lượng").fill("2");
  await shopper.getByRole("button", { name: "Thêm vào giỏ" }).click();
  await expect(shopper.getByText("Đã thêm vào giỏ hàng.")).toBeVisible(); // a navigation right away would cancel the submit
  await shopper.goto("/cart");
  await shopper.getByRole("link", { name: "Đặt hàng" }).click();
  await shopper.getByLabel("Số điện thoại").fill("0987654321");
  await shopper.getByLabel("Tỉnh / thành phố").selectOption({ label: "Sơn La" });
  await expect(shopper.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await shopper.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await shopper.getByLabel("Số nhà, đường / thôn, xóm").fill("Tổ 3");
  await shopper.getByLabel(/Trả tiền mặt khi nhận hàng/).check();
  await shopper.getByRole("button", { name: "Đặt hàng" }).click();
  await expect(shopper.getByRole("heading", { name: "Đã đặt hàng" })).toBeVisible();
  const orderCode = (await shopper.getByRole("heading", { name: /^Đơn hàng DH/ }).textContent())!.replace("Đơn hàng ", "").trim();
  await shopper.goto(`/products/${lot.productId}`);
  await shopper.getByRole("button", { name: "Thêm vào giỏ" }).click();
  await expect(shopper.getByText("Đã thêm vào giỏ hàng.")).toBeVisible();

  // The inspector finds the lot in the queue, with its reasons.
  await logIn(page, "thanhtra@ocop-trace.vn", "thanhtra123");
  await page.getByRole("link", { name: "Thanh tra" }).click();
  await expect(page.getByRole("heading", { name: "Hàng đợi kiểm tra" })).toBeVisible();
  const card = page.locator("ol > li", { hasText: `Lô ${lot.lotCode}` });
  await expect(card.getByText("Chưa kiểm tra lần nào")).toBeVisible();
  await page.getByRole("link", { name: `Lô ${lot.lotCode} · Chè móc câu đặc biệt` }).click();

  // Lead over its limit cannot be recorded as a pass without a reason; as a FAIL it is signed.
  await page.getByLabel("Nhãn đủ thông tin").check();
  await page.getByLabel("Kết quả", { exact: true }).selectOption({ label: "Đạt" });
  await page.getByLabel("Chỉ tiêu 1").fill("Chì (Pb)");
  await page.getByLabel("Giá trị đo 1").fill("0,45");
  await page.getByLabel("Giới hạn 1").fill("0,2");
  await page.getByLabel("Đơn vị 1").fill("mg/kg");
  await page.getByLabel("Ghi chú").fill("Mẫu lấy tại kho của HTX");
  await page.getByRole("button", { name: "Lưu và ký" }).click();
  await expect(page.getByText("Chỉ tiêu vượt giới hạn (Chì (Pb)): kết quả phải là Không đạt, hoặc ghi lý do.")).toBeVisible();
  await expect(page.getByLabel("Giá trị đo 1")).toHaveValue("0,45"); // nothing typed is lost
  await page.getByLabel("Kết quả", { exact: true }).selectOption({ label: "Không đạt" });
  await page.getByRole("button", { name: "Lưu và ký" }).click();
  await expect(page.getByText("Đã lưu, ký số và ghi vào sổ công khai.")).toBeVisible();

  // Anyone can check the signed record.
  await page.getByRole("link", { name: "kiểm tra chữ ký" }).first().click();
  await expect(page.getByText(/Chữ ký số hợp lệ \(khóa ed25519-/)).toBeVisible();
  // Just saved: in the public log already, or being added to it (the sequencer runs every second).
  await expect(page.getByText(/Sổ công khai có đúng biên bản này|Đã ghi, đang được thêm vào sổ công khai/)).toBeVisible();
  await page.goBack();

  // Recall, class I.
  await page.getByLabel("Lý do thu hồi").fill("Dư lượng chì vượt giới hạn cho phép");
  await page.getByLabel("Cấp độ thu hồi").selectOption({ label: "Cấp I — có thể gây hại nghiêm trọng" });
  await page.getByLabel("Hướng dẫn cho người tiêu dùng").fill("Ngừng sử dụng, mang sản phẩm trả lại nơi mua để được hoàn tiền.");
  await page.getByRole("button", { name: "Thu hồi ngay" }).click();
  await expect(page.getByRole("heading", { name: `Thu hồi lô ${lot.lotCode}` })).toBeVisible();
  // The buyer gave a phone and no SMS gateway runs here: told only once the message leaves, so it waits.
  await expect(page.getByTestId("buyers-notified")).toHaveText("0");
  await expect(page.getByTestId("buyers-waiting")).toHaveText("1");
  await expect(page.getByText(new RegExp(`${orderCode} · Phạm Thu Hà`))).toBeVisible();

  // A person scanning a unit code of the lot sees the red banner.
  const unit = await db.one<{ code: string }>(
    `SELECT "code" FROM "TraceCode" WHERE "batchId" = $1 AND "kind" = 'UNIT' ORDER BY "serial" LIMIT 1`,
    [lot.id],
  );
  const scanner = await (await browser.newContext({ userAgent: PHONE_UA, locale: "vi-VN" })).newPage();
  await scanner.goto(`/t/${unit.code}`);
  await expect(scanner.getByText("SẢN PHẨM BỊ THU HỒI — KHÔNG SỬ DỤNG")).toBeVisible();
  await expect(scanner.getByText("Lý do: Dư lượng chì vượt giới hạn cho phép")).toBeVisible();
  await expect(scanner.getByText("Ngừng sử dụng, mang sản phẩm trả lại nơi mua để được hoàn tiền.")).toBeVisible();
  await expect(scanner.getByRole("link", { name: "Mua sản phẩm này" })).toHaveCount(0);

  // The shop no longer sells it: the product page and the waiting cart both say so, and checkout refuses.
  // The product page says why, not just "sold out".
  await shopper.goto(`/products/${lot.productId}`);
  await expect(shopper.getByText(`Ngừng bán: lô ${lot.lotCode} đang bị thu hồi.`)).toBeVisible();
  await expect(shopper.getByRole("button", { name: "Thêm vào giỏ" })).toHaveCount(0);
  await shopper.goto("/cart");
  await expect(shopper.getByText(/Sản phẩm này (đã hết hàng|đang tạm ngừng bán)/)).toBeVisible();
  await expect(shopper.getByRole("link", { name: "Đặt hàng" })).toHaveCount(0);
  await shopper.getByRole("button", { name: "Bỏ" }).click();
  await expect(shopper.getByText("Giỏ hàng đang trống.")).toBeVisible();

  // The earlier buyer's order page carries the notice; the link in their message acknowledges it.
  await shopper.goto("/orders");
  await shopper.getByRole("link", { name: `Đơn hàng ${orderCode}` }).click();
  await expect(
    shopper.getByText(`Sản phẩm trong đơn này đang bị thu hồi (lô ${lot.lotCode}): Dư lượng chì vượt giới hạn cho phép.`, { exact: false }),
  ).toBeVisible();
  const message = await db.first<{ body: string }>(
    `SELECT m."body" FROM "OutboxMessage" m JOIN "Order" o ON o."id" = m."orderId" WHERE o."code" = $1 AND m."subject" LIKE 'THU HỒI%'`,
    [orderCode],
  );
  expect(message?.body).toContain("Ngừng sử dụng");
  const link = message!.body.match(/https?:\/\/\S+\/recall-ack\/\S+/)![0];
  // Opening the link (as a chat app's preview does) records nothing; the buyer's button does.
  await shopper.goto(new URL(link).pathname);
  await expect(shopper.getByRole("heading", { name: "Sản phẩm bạn mua đang bị thu hồi" })).toBeVisible();
  await page.reload();
  await expect(page.getByText(/✓/)).toHaveCount(0);
  await shopper.getByRole("button", { name: "Tôi đã đọc thông báo này" }).click();
  await expect(shopper.getByRole("heading", { name: "Cảm ơn bạn đã xác nhận" })).toBeVisible();

  // The producer cannot ship the recalled lot's units: it sees why, and sends them from another lot.
  const seller = await (await browser.newContext({ locale: "vi-VN" })).newPage();
  await logIn(seller, "0912345678", "nongdan123");
  await seller.goto("/producer/orders");
  const sold = seller.locator("section", { hasText: orderCode });
  await expect(sold.getByTestId("lot-blocked")).toHaveText(
    `Lô ${lot.lotCode} bị thu hồi: Dư lượng chì vượt giới hạn cho phép. Không được gửi hàng từ lô này.`,
  );
  // A cash-on-delivery order holds its units only once the producer confirms it (ADR 015).
  await sold.getByRole("button", { name: "Xác nhận đơn (COD)" }).click();
  await expect(sold.getByTestId("order-status")).toHaveText("Đã xác nhận");
  await sold.getByRole("button", { name: "Đã đóng gói" }).click();
  await expect(sold.getByTestId("order-status")).toHaveText("Đã đóng gói");
  await expect(sold.getByRole("button", { name: "Đã gửi hàng" })).toHaveCount(0);
  // No other lot has any: refused, nothing moves (cancelling is the way out).
  await sold.getByRole("button", { name: "Gửi 2 từ lô khác" }).click();
  await expect(sold.getByText("Không còn lô khác đủ hàng (chỉ còn 0). Hãy hủy đơn và hoàn tiền cho người mua.")).toBeVisible();
  await expect(sold.getByRole("button", { name: "Hủy đơn (hoàn tiền nếu đã trả)" })).toBeVisible();
  // A newer lot of the same tea: the two packs go from it, and the order can ship.
  await db.run(
    `INSERT INTO "Batch" ("id", "productId", "lotCode", "producedAt", "expiresAt", "quantity", "stock", "updatedAt") VALUES ('e2e-mc-moi', $1, 'MC-MOI', now(), now() + interval '1 year', 40, 40, now())`,
    [lot.productId],
  );
  await sold.getByRole("button", { name: "Gửi 2 từ lô khác" }).click();
  await expect(sold.getByTestId("lot-blocked")).toHaveCount(0);
  await expect(sold.getByText("Lô MC-MOI (2)")).toBeVisible();
  await sold.getByRole("button", { name: "Đã gửi hàng" }).click();
  await expect(sold.getByTestId("order-status")).toHaveText("Đang giao");
  const moved = await db.one<{ body: string }>(
    `SELECT m."body" FROM "OutboxMessage" m JOIN "Order" o ON o."id" = m."orderId" WHERE o."code" = $1 AND m."subject" = $2`,
    [orderCode, `Đơn hàng ${orderCode}: đổi lô hàng`],
  );
  expect(moved.body).toContain("MC-MOI");

  await page.reload();
  await expect(page.getByText(/✓/)).toBeVisible();
  await page.getByLabel("Ghi chú khi đóng").fill("Đã thu hồi 2/2 gói; lô đã tiêu huỷ.");
  await page.getByRole("button", { name: "Đóng đợt thu hồi" }).click();
  await expect(page.getByText("Đã đóng: Đã thu hồi 2/2 gói; lô đã tiêu huỷ.")).toBeVisible();
  await db.close();
});
