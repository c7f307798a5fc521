import { e2eDb, expect, logIn, logOut, test, type Page } from "./fixtures";

// A guest on a small phone buys tea (cash on delivery), the producer delivers it by clicking,
// and the guest reviews the line from the order page: the review shows on the product page,
// naming the lot, and on that lot's trace page. A buyer whose order is not delivered sees no
// review form, and a post forged past the page is refused.

test.use({ viewport: { width: 360, height: 740 } });

const shoot = (page: Page, name: string) => page.screenshot({ path: `test-results/reviews/${name}.png`, fullPage: true });

async function buyTea(page: Page, phone: string): Promise<string> {
  await page.goto("/products?q=che+tan+cuong");
  await page
    .getByRole("link", { name: /Chè búp Tân Cương/ })
    .first()
    .click();
  await page.getByLabel("Số lượng").fill("1");
  await page.getByRole("button", { name: "Thêm vào giỏ" }).click();
  await expect(page.getByText("Đã thêm vào giỏ hàng.")).toBeVisible();
  await page.getByRole("link", { name: /^Giỏ hàng/ }).click();
  await page.getByRole("link", { name: "Đặt hàng", exact: true }).click();
  await page.getByLabel("Họ và tên").fill("Lò Thị Hoa");
  await page.getByLabel("Số điện thoại").fill(phone);
  await page.getByLabel("Tỉnh / thành phố").selectOption({ label: "Sơn La" });
  await expect(page.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel("Số nhà, đường / thôn, xóm").fill("Bản Áng, tổ 2");
  await page.getByLabel(/COD/).check();
  await page.getByRole("button", { name: "Đặt hàng", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đã đặt hàng" })).toBeVisible();
  const title = page.getByRole("heading", { level: 2, name: /^Đơn hàng DH/ });
  const code = (await title.textContent())!.replace("Đơn hàng", "").trim();
  await page.getByRole("link", { name: `Đơn hàng ${code}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Đơn hàng ${code}` })).toBeVisible();
  return code;
}

/** The demo household moves the order along by clicking, up to `last`. */
async function producerMoves(page: Page, code: string, moves: string[]) {
  await logIn(page, "0912345678", "nongdan123");
  await page.goto("/producer/orders");
  for (const button of moves) {
    const card = page.getByRole("listitem").filter({ has: page.getByText(`Đơn hàng ${code}`) });
    await card.getByRole("button", { name: button }).click();
    await expect(
      page
        .getByRole("listitem")
        .filter({ has: page.getByText(`Đơn hàng ${code}`) })
        .getByRole("button", { name: button }),
    ).toHaveCount(0);
  }
  await logOut(page);
}

test("a guest who received the tea reviews it by clicking; it shows on the product and lot pages; others cannot", async ({
  page,
  browser,
}) => {
  const code = await buyTea(page, "0971 234 611");
  const orderUrl = page.url();
  // Not delivered yet: nothing to review on the order page.
  await expect(page.getByRole("link", { name: /^Đánh giá/ })).toHaveCount(0);

  const producer = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await producerMoves(producer, code, ["Xác nhận đơn (COD)", "Đã đóng gói", "Đã gửi hàng", "Đã giao xong"]);
  await producer.close();

  await page.goto(orderUrl);
  await page.getByRole("link", { name: "Đánh giá: Chè búp Tân Cương" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đánh giá: Chè búp Tân Cương" })).toBeVisible();
  await page.getByLabel("4 sao").check();
  await page.getByLabel("Nhận xét").fill("Chè thơm cốm, nước xanh, giao tới Mộc Châu sau 2 ngày.");
  await shoot(page, "1-review-form");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.getByRole("button", { name: "Gửi đánh giá" }).click();
  await expect(page.getByText("Cảm ơn bạn đã đánh giá.")).toBeVisible();
  await expect(page.getByText("Bạn đã đánh giá 4 sao.")).toBeVisible();
  await shoot(page, "2-order-reviewed");

  // On the product page: average, count, the review, and the lot it is about.
  await page.goto("/products?q=che+tan+cuong");
  await page
    .getByRole("link", { name: /Chè búp Tân Cương/ })
    .first()
    .click();
  const reviews = page.getByRole("heading", { name: "Đánh giá", exact: true }).locator("..");
  await expect(reviews.getByTestId("review-summary")).toContainText("đánh giá");
  await expect(reviews.getByTestId("review-summary")).toContainText("Đã bán");
  await expect(reviews.getByText("Chè thơm cốm, nước xanh, giao tới Mộc Châu sau 2 ngày.")).toBeVisible();
  await expect(reviews.getByText("Hoa L.").first()).toBeVisible();
  await reviews.getByText("Chè thơm cốm").scrollIntoViewIfNeeded();
  await shoot(page, "3-product-reviews");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The lot's link leads to its trace page, which shows the review too (no JavaScript there).
  const item = reviews.locator("li").filter({ hasText: "Chè thơm cốm" });
  await item.getByRole("link", { name: /^Lô / }).first().click();
  await expect(page).toHaveURL(/\/t\/[A-Z0-9]+$/);
  await expect(page.getByRole("heading", { name: "Người đã nhận lô này nói gì" })).toBeVisible();
  await expect(page.getByText("Chè thơm cốm, nước xanh, giao tới Mộc Châu sau 2 ngày.")).toBeVisible();
  await page.getByRole("heading", { name: "Người đã nhận lô này nói gì" }).scrollIntoViewIfNeeded();
  await shoot(page, "4-trace-page-reviews");

  // Another guest whose order is not delivered: no review link, and the review page offers no form.
  const other = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "vi-VN" });
  const otherPage = await other.newPage();
  const otherCode = await buyTea(otherPage, "0971 234 612");
  await expect(otherPage.getByRole("link", { name: /^Đánh giá/ })).toHaveCount(0);
  const checkout = new URL(otherPage.url()).searchParams.get("checkout")!;
  const db = await e2eDb();
  const { id: lineId } = await db.one<{ id: string }>(
    `SELECT l.id FROM "OrderLine" l JOIN "Order" o ON o.id = l."orderId" WHERE o.code = $1`,
    [otherCode],
  );
  await db.close();
  expect(lineId).toMatch(/^c[a-z0-9]{20,}$/);
  await otherPage.goto(`/orders/${otherCode}/review/${lineId}?checkout=${checkout}`);
  await expect(otherPage.getByText("Chỉ đánh giá được khi đơn hàng đã giao đến bạn.")).toBeVisible();
  await expect(otherPage.getByRole("button", { name: "Gửi đánh giá" })).toHaveCount(0);
  await shoot(otherPage, "5-not-delivered");
  // A post forged past the page (same origin, as a script on the page would send it) is refused.
  const forged = await otherPage.evaluate(
    async ({ otherCode, lineId, checkout }) => {
      const body = new URLSearchParams({ rating: "5", body: "Chưa nhận mà vẫn khen" });
      const res = await fetch(`/orders/${otherCode}/review/${lineId}?checkout=${checkout}`, { method: "POST", body, redirect: "manual" });
      return res.status;
    },
    { otherCode, lineId, checkout },
  );
  expect(forged).toBe(409);
  await other.close();
});
