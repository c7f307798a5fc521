import { e2eDb, expect, test, type Page } from "./fixtures";

// A guest on a small phone (360×740) buys by clicking, pays by VietQR from the same phone
// (save the QR, copy the values, open a bank app), follows the order link from the
// confirmation page and from the order message, and finds the order again by phone + code.
// Once in Vietnamese, once in English.

test.use({ viewport: { width: 360, height: 740 }, permissions: ["clipboard-read", "clipboard-write"] });

const WORDS = {
  vi: {
    search: "Tìm",
    quantity: "Số lượng",
    addToCart: "Thêm vào giỏ",
    added: "Đã thêm vào giỏ hàng.",
    cart: /^Giỏ hàng/,
    checkout: "Đặt hàng",
    name: "Họ và tên",
    phone: "Số điện thoại",
    province: "Tỉnh / thành phố",
    ward: "Phường / xã",
    street: "Số nhà, đường / thôn, xóm",
    vietqr: /VietQR/,
    place: "Đặt hàng",
    done: "Đã đặt hàng",
    order: "Đơn hàng",
    pending: "Chờ thanh toán",
    saveQr: "Lưu ảnh QR",
    copyAccount: "Chép Số tài khoản",
    copyAmount: "Chép Số tiền",
    copyMemo: "Chép Nội dung chuyển khoản",
    copied: "✓ Đã chép",
    openApp: "Mở app ngân hàng",
    lookupNav: "Tra cứu đơn",
    lookupTitle: "Tra cứu đơn hàng",
    lookupPhone: "Số điện thoại",
    lookupCode: "Mã đơn hàng",
    lookupSubmit: "Tìm đơn",
    notFound: "Không thấy đơn nào có số điện thoại và mã này.",
  },
  en: {
    search: "Search",
    quantity: "Quantity",
    addToCart: "Add to cart",
    added: "Added to your cart.",
    cart: /^Cart/,
    checkout: "Check out",
    name: "Full name",
    phone: "Phone number",
    province: "Province / city",
    ward: "Ward / commune",
    street: "House number, street / hamlet",
    vietqr: /VietQR/,
    place: "Place order",
    done: "Order placed",
    order: "Order",
    pending: "Awaiting payment",
    saveQr: "Save QR image",
    copyAccount: "Copy Account number",
    copyAmount: "Copy Amount",
    copyMemo: "Copy Transfer message",
    copied: "✓ Copied",
    openApp: "Open your bank app",
    lookupNav: "Find my order",
    lookupTitle: "Find an order",
    lookupPhone: "Phone number",
    lookupCode: "Order code",
    lookupSubmit: "Find order",
    notFound: "No order has this phone number and code.",
  },
} as const;

type Words = (typeof WORDS)[keyof typeof WORDS];

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/guest-order/${name}.png`, fullPage: true });
}

/** From the home page to a placed VietQR order, by clicking; ends on the confirmation page. */
async function buyTeaByVietQr(page: Page, w: Words, phone: string) {
  await page.getByRole("searchbox").fill("che tan cuong");
  await page.getByRole("button", { name: w.search, exact: true }).click();
  await page
    .getByRole("link", { name: /Chè búp Tân Cương/ })
    .first()
    .click();
  await page.getByLabel(w.quantity).fill("2");
  await page.getByRole("button", { name: w.addToCart }).click();
  await expect(page.getByText(w.added)).toBeVisible();
  await page.getByRole("link", { name: w.cart }).click();
  await page.getByRole("link", { name: w.checkout, exact: true }).click();
  await page.getByLabel(w.name).fill("Lò Thị Hoa");
  await page.getByLabel(w.phone).fill(phone);
  await page.getByLabel(w.province).selectOption({ label: "Sơn La" });
  await expect(page.getByLabel(w.ward).locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel(w.ward).selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel(w.street).fill("Bản Áng, tổ 2");
  await page.getByLabel(w.vietqr).check();
  await page.getByRole("button", { name: w.place, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: w.done })).toBeVisible();
}

async function payFromThisPhone(page: Page, w: Words, lang: string): Promise<string> {
  const title = page.getByRole("heading", { level: 2, name: new RegExp(`^${w.order} DH`) });
  const code = (await title.textContent())!.replace(w.order, "").trim();
  expect(code).toMatch(/^DH[0-9A-Z]{8}$/);
  const panel = page.getByTestId("vietqr-panel");
  await expect(panel.getByTestId("vietqr")).toBeVisible();
  // The whole panel fits the width of a small phone: nothing sticks out sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // "Lưu ảnh QR": a PNG named after the order.
  const [download] = await Promise.all([page.waitForEvent("download"), panel.getByRole("link", { name: w.saveQr }).click()]);
  expect(download.suggestedFilename()).toBe(`VietQR-${code}.png`);
  const saved = await download.createReadStream();
  const head = await new Promise<Buffer>((resolve) => saved.once("data", (chunk: Buffer) => resolve(chunk)));
  expect(head.subarray(1, 4).toString()).toBe("PNG");

  // Copy buttons: visible feedback, and the clipboard holds the bare value.
  const account = (await panel.locator("dd .font-mono").first().textContent())!.trim();
  await panel.getByRole("button", { name: w.copyAccount }).click();
  await expect(panel.getByRole("button", { name: w.copyAccount })).toHaveText(w.copied);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(account);
  await panel.getByRole("button", { name: w.copyAmount }).click();
  await expect(panel.getByRole("button", { name: w.copyAmount })).toHaveText(w.copied);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^[1-9]\d*$/);
  const amount = await page.evaluate(() => navigator.clipboard.readText());
  await panel.getByRole("button", { name: w.copyMemo }).click();
  await expect(panel.getByRole("button", { name: w.copyMemo })).toHaveText(w.copied);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  await shoot(page, `${lang}-1-copied`);

  // A bank app opens with the transfer filled in (VietQR deeplink).
  await panel.getByText(w.openApp).click();
  const apps = panel.getByTestId("bank-apps");
  await expect(apps.getByRole("link", { name: "BIDV" })).toBeVisible();
  const href = new URL((await apps.getByRole("link", { name: "BIDV" }).getAttribute("href"))!);
  expect(href.origin + href.pathname).toBe("https://dl.vietqr.io/pay");
  expect(href.searchParams.get("app")).toBe("bidv");
  expect(href.searchParams.get("ba")).toBe(`${account}@vcb`);
  expect(href.searchParams.get("am")).toBe(amount);
  expect(href.searchParams.get("tn")).toBe(code);
  await apps.scrollIntoViewIfNeeded();
  await shoot(page, `${lang}-2-bank-apps`);
  return code;
}

for (const lang of ["vi", "en"] as const) {
  const w = WORDS[lang];
  test(`a guest on a small phone pays by VietQR from the same phone and follows the order (${lang})`, async ({ page, browser }) => {
    const phone = lang === "vi" ? "0971 234 501" : "0971 234 502";
    await page.goto("/");
    if (lang === "en") await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("link", { name: w.lookupNav })).toBeVisible();
    await buyTeaByVietQr(page, w, phone);
    await expect(page.getByTestId("order-status").first()).toHaveText(w.pending);
    const code = await payFromThisPhone(page, w, lang);

    // The order link on the confirmation page opens the order for this guest.
    await page.getByRole("link", { name: `${w.order} ${code}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `${w.order} ${code}` })).toBeVisible();
    await expect(page.getByTestId("order-status")).toHaveText(w.pending);
    expect(new URL(page.url()).searchParams.get("checkout")).toBeTruthy();
    await shoot(page, `${lang}-3-order-page`);

    // The order message carries the same link: it opens the order on another phone too.
    const db = await e2eDb();
    const message = await db.one<{ body: string }>(
      `SELECT m.body FROM "OutboxMessage" m JOIN "Order" o ON o.id = m."orderId" WHERE o.code = $1 AND m.recipient = o."buyerPhone" ORDER BY m."createdAt" LIMIT 1`,
      [code],
    );
    await db.close();
    const link = /(https?:\/\/\S+\/orders\/\S+)/.exec(message.body)?.[1];
    expect(link).toBeTruthy();
    // That phone has JavaScript off: the QR image to save is a plain link, the values are
    // plain selectable text, the bank apps a plain list; copy buttons need JavaScript and are absent.
    const other = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: "vi-VN",
      javaScriptEnabled: false,
    });
    const otherPage = await other.newPage();
    await otherPage.goto(link!);
    await expect(otherPage.getByTestId("order-status")).toHaveText("Chờ thanh toán");
    const plain = otherPage.getByTestId("vietqr-panel");
    await expect(plain.getByRole("link", { name: "Lưu ảnh QR" })).toHaveAttribute(
      "href",
      new RegExp(`^/orders/${code}/vietqr\\.png\\?checkout=`),
    );
    await expect(plain.getByRole("button")).toHaveCount(0);
    await expect(plain.getByText(code, { exact: true })).toHaveCSS("user-select", "all");
    await plain.getByText("Mở app ngân hàng").click();
    await expect(plain.getByRole("link", { name: "Vietcombank" })).toBeVisible();

    // Without the link's key the order page is refused, and says how to find the order.
    await otherPage.goto(`/orders/${code}`);
    await expect(otherPage.getByRole("link", { name: "Tra cứu đơn hàng" })).toBeVisible();
    await other.close();

    // Looking it up by phone + code, from the header; a wrong phone gets "not found".
    await page.getByRole("link", { name: w.lookupNav }).click();
    await expect(page.getByRole("heading", { level: 1, name: w.lookupTitle })).toBeVisible();
    await page.getByLabel(w.lookupPhone).fill("0971 999 999");
    await page.getByLabel(w.lookupCode).fill(code.toLowerCase());
    await page.getByRole("button", { name: w.lookupSubmit }).click();
    await expect(page.getByText(w.notFound)).toBeVisible();
    await shoot(page, `${lang}-4-lookup-not-found`);
    await page.getByLabel(w.lookupPhone).fill(phone);
    await page.getByRole("button", { name: w.lookupSubmit }).click();
    await expect(page.getByRole("heading", { level: 1, name: `${w.order} ${code}` })).toBeVisible();
    await expect(page.getByTestId("order-status")).toHaveText(w.pending);
    await shoot(page, `${lang}-5-looked-up`);
  });
}

test("checkout does not offer VietQR for a producer without a bank account, and says why", async ({ page }) => {
  const producer = "Công ty TNHH Nước mắm Phú Quốc Hưng Thịnh";
  const db = await e2eDb();
  const before = await db.one<{ bankBin: string | null; bankAccountNumber: string | null }>(
    `SELECT "bankBin", "bankAccountNumber" FROM "Producer" WHERE name = $1`,
    [producer],
  );
  await db.run(`UPDATE "Producer" SET "bankBin" = NULL, "bankAccountNumber" = NULL WHERE name = $1`, [producer]);
  try {
    const w = WORDS.vi;
    await page.goto("/");
    await page.getByRole("searchbox").fill("nuoc mam phu quoc");
    await page.getByRole("button", { name: w.search, exact: true }).click();
    await page
      .getByRole("link", { name: /Nước mắm Phú Quốc 40 độ đạm/ })
      .first()
      .click();
    await page.getByRole("button", { name: w.addToCart }).click();
    await expect(page.getByText(w.added)).toBeVisible();
    await page.getByRole("link", { name: w.cart }).click();
    await page.getByRole("link", { name: w.checkout, exact: true }).click();
    await expect(page.getByRole("radio")).not.toHaveCount(0);
    await expect(page.getByLabel(/VietQR/)).toHaveCount(0);
    await expect(page.getByText(`Chưa chuyển khoản VietQR được: ${producer} chưa có tài khoản ngân hàng.`)).toBeVisible();
    await expect(page.getByLabel(/Trả tiền mặt khi nhận hàng/)).toBeChecked();
    await page.getByTestId("unavailable-VIETQR").scrollIntoViewIfNeeded();
    await shoot(page, "vi-6-no-vietqr");
  } finally {
    await db.run(`UPDATE "Producer" SET "bankBin" = $2, "bankAccountNumber" = $3 WHERE name = $1`, [
      producer,
      before.bankBin,
      before.bankAccountNumber,
    ]);
    await db.close();
  }
});
