import Stripe from "stripe";
import { e2eDb, expect, fillCheckout, logIn, test, type Page } from "./fixtures";
import { E2E_STRIPE_WEBHOOK_SECRET } from "./stripe-secret";

// Buying on a phone: search without accents, add to cart, check out with each way
// to pay, and follow the order to the lot's trace page.

async function addToCart(page: Page, search: string, productName: string, quantity = "1") {
  await page.goto("/");
  await page.getByRole("searchbox").fill(search);
  await page.getByRole("button", { name: "Tìm" }).click();
  await page
    .getByRole("link", { name: new RegExp(productName) })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: productName })).toBeVisible();
  await page.getByLabel("Số lượng").fill(quantity);
  await page.getByRole("button", { name: "Thêm vào giỏ" }).click();
  await expect(page.getByText("Đã thêm vào giỏ hàng.")).toBeVisible();
}

async function checkOut(page: Page, method: RegExp) {
  await page.goto("/cart");
  await page.getByRole("link", { name: "Đặt hàng" }).click();
  await fillCheckout(page, { name: "Trần Thị Mai", phone: "0934 567 890" }, method);
  await page.getByRole("button", { name: "Đặt hàng" }).click();
}

test("a guest buys fish sauce with cash on delivery and follows the receipt to the lot's trace page", async ({ page }) => {
  await addToCart(page, "nuoc mam phu quoc", "Nước mắm Phú Quốc 40 độ đạm", "2");
  await checkOut(page, /Trả tiền mặt khi nhận hàng/);
  await expect(page.getByRole("heading", { name: "Đã đặt hàng" })).toBeVisible();
  // Cash on delivery waits for the producer's confirmation (ADR 015).
  await expect(page.getByTestId("order-status")).toHaveText("Chờ người bán xác nhận");
  await expect(page.getByText(/2 chai × Nước mắm Phú Quốc/)).toBeVisible();
  await page.getByRole("link", { name: "xem nguồn gốc" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Nước mắm Phú Quốc 40 độ đạm" })).toBeVisible();
  await expect(page.getByText("Mọi bản ghi của lô này đã vào sổ công khai", { exact: false })).toBeVisible();
});

test("a shopper pays by VietQR, the producer marks it paid, packs and ships it", async ({ page, browser }) => {
  await logIn(page, "0987654321", "nguoimua123");
  await addToCart(page, "che tan cuong", "Chè búp Tân Cương");
  await checkOut(page, /VietQR/);
  await expect(page.getByTestId("order-status")).toHaveText("Chờ thanh toán");
  await expect(page.getByTestId("vietqr")).toBeVisible();
  const memo = (await page.getByRole("heading", { name: /^Đơn hàng DH/ }).textContent())!.replace("Đơn hàng ", "").trim();
  await expect(page.getByText(memo, { exact: true }).last()).toBeVisible();
  // The payee bank (the bank-app list further down names banks too, inside a closed <details>).
  await expect(page.getByText("Vietcombank", { exact: true }).first()).toBeVisible();
  // Unpaid, it holds stock only until its deadline (24 hours by default).
  await expect(page.getByText(/^Hãy thanh toán trước .+ Quá hạn, đơn tự hủy và hàng được trả lại kho\.$/)).toBeVisible();

  const producer = await (await browser.newContext({ ...devicesOf(page) })).newPage();
  await logIn(producer, "0912345678", "nongdan123");
  await producer.goto("/producer/orders");
  const card = producer.locator("section", { hasText: memo });
  await expect(card.getByText(/^Tự hủy lúc .+ nếu chưa thanh toán\.$/)).toBeVisible();
  await card.getByRole("button", { name: "Đã nhận tiền chuyển khoản" }).click();
  await expect(card.getByTestId("order-status")).toHaveText("Đã xác nhận");
  await card.getByRole("button", { name: "Đã đóng gói" }).click();
  await expect(card.getByTestId("order-status")).toHaveText("Đã đóng gói");
  await card.getByRole("button", { name: "Đã gửi hàng" }).click();
  await expect(card.getByTestId("order-status")).toHaveText("Đang giao");

  await page.goto("/orders");
  await page.getByRole("link", { name: `Đơn hàng ${memo}` }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Đang giao");
  await expect(page.getByText(/Đã đóng gói \(/)).toBeVisible();
  await page.getByRole("link", { name: "xem nguồn gốc" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Chè búp Tân Cương" })).toBeVisible();
});

test("a shopper pays by card: Stripe's signed webhook (sent by the test) confirms the order", async ({ page, request }) => {
  await logIn(page, "0987654321", "nguoimua123");
  await addToCart(page, "ca phe", "Cà phê rang xay nguyên chất");
  // The redirect goes to Stripe's hosted page; stand in for it (no network here).
  let sessionId = "";
  await page.route("https://checkout.stripe.com/**", (route) => {
    sessionId = new URL(route.request().url()).pathname.split("/").pop()!;
    return route.fulfill({ contentType: "text/html", body: "<h1>Stripe Checkout</h1>" });
  });
  await checkOut(page, /Thẻ Visa\/Mastercard/);
  await expect(page.getByRole("heading", { name: "Stripe Checkout" })).toBeVisible();
  expect(sessionId).toMatch(/^cs_test_/);

  const db = await e2eDb();
  const payment = await db.one<{ orderId: string; amountVnd: number; code: string }>(
    `SELECT p."orderId", p."amountVnd", o."code" FROM "Payment" p JOIN "Order" o ON o."id" = p."orderId" WHERE p."providerRef" = $1`,
    [sessionId],
  );
  await db.close();
  const body = JSON.stringify({
    id: `evt_e2e_${sessionId}`,
    object: "event",
    type: "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: sessionId,
        object: "checkout.session",
        payment_status: "paid",
        amount_total: payment.amountVnd,
        currency: "vnd",
        metadata: { orderId: payment.orderId },
      },
    },
  });
  const send = (signature: string) =>
    request.post("/webhooks/stripe", { headers: { "Stripe-Signature": signature, "Content-Type": "application/json" }, data: body });
  expect((await send(Stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_wrong" }))).status()).toBe(400);
  expect((await send(Stripe.webhooks.generateTestHeaderString({ payload: body, secret: E2E_STRIPE_WEBHOOK_SECRET }))).status()).toBe(200);

  await page.goto(`/orders/${payment.code}`);
  await expect(page.getByTestId("order-status")).toHaveText("Đã xác nhận");
  await expect(page.getByText(/Đã xác nhận \(hệ thống\)/)).toBeVisible();
});

function devicesOf(page: Page) {
  const viewport = page.viewportSize();
  return viewport ? { viewport, isMobile: true, hasTouch: true } : {};
}
