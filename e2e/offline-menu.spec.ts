import fs from "node:fs";
import { addDemoBatch, expect, logIn, test, type Page } from "./fixtures";

// The installed producer app with no signal: every producer menu item and every header link
// shows the page kept on the phone (with the "Đang ngoại tuyến" banner and the logged-in header)
// or the app's offline page — never the error page, never Chromium's "can't be reached".
// Back online the banner goes and pages load fresh.

test.use({ viewport: { width: 360, height: 740 } });

const SHOTS = "test-results/offline-menu";
fs.mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

const ERROR_TEXTS = [/Hệ thống đang gặp sự cố/, /Có lỗi xảy ra/, /Something went wrong/, /Không tìm thấy/];

/** The worker controls the app and the producer's pages were each opened once, by tapping, as a producer does. */
async function installAndVisit(page: Page, menu: { orders: string; profile: string; helpers: string }) {
  await page.goto("/producer");
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  for (const name of [menu.orders, menu.profile, menu.helpers]) {
    await page.getByRole("link", { name, exact: true }).click();
    await page.waitForURL((u) => u.pathname !== "/producer");
    await page.goBack();
    await page.waitForURL((u) => u.pathname === "/producer");
  }
}

async function notAnErrorPage(page: Page) {
  expect(page.url(), "not Chromium's error page").not.toMatch(/^chrome-error:/);
  for (const text of ERROR_TEXTS) await expect(page.getByText(text)).toHaveCount(0);
}

async function expectCached(page: Page, user: string, heading: RegExp | string, banner = "Đang ngoại tuyến") {
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: banner })).toBeVisible();
  await expect(page.locator("header").getByText(user, { exact: true })).toBeVisible();
  await notAnErrorPage(page);
}

async function expectOfflinePage(page: Page, heading = "Không có mạng", banner = "Đang ngoại tuyến") {
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: banner })).toBeVisible();
  await notAnErrorPage(page);
}

test("offline, every producer menu item and header link shows the kept page with the banner or the offline page; back online the pages load fresh", async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(150_000);
  const lot = `TC-MENU-${Date.now().toString().slice(-6)}`;
  await logIn(page, "0912345678", "nongdan123");
  await addDemoBatch(page, lot);
  const batchPath = new URL(page.url()).pathname;
  const user = (await page.locator("header form[action='/logout'] span").textContent())!.trim();
  await installAndVisit(page, { orders: "Đơn hàng", profile: "Tài khoản nhận tiền (VietQR)", helpers: "Người hỗ trợ của cơ sở" });
  await page.getByRole("link", { name: "Chè búp Tân Cương" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: /Chè búp Tân Cương/ })).toBeVisible();
  const productPath = new URL(page.url()).pathname;
  await page.goto("/producer");
  // The new lot's page, opened once now that the app is installed (it was made before).
  await page.getByRole("link", { name: lot, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Chè búp Tân Cương · Lô ${lot}` })).toBeVisible();
  await page.goto("/producer");
  // Online: no banner.
  await expect(page.getByText("Đang ngoại tuyến")).toHaveCount(0);

  // Offline, a page loaded from the phone has discovered no routes yet: the worker answers Remix's
  // route discovery from the build's manifest (counted here), and its data requests as below.
  const discovery: number[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname === "/__manifest" && r.fromServiceWorker()) discovery.push(r.status());
  });
  await context.setOffline(true);
  await expect(page.getByRole("status").filter({ hasText: "Đang ngoại tuyến" })).toBeVisible();
  await shot(page, "01-home-offline");

  // The producer's menu on the start page: the pages opened online come back from the phone.
  const kept: [string, string | RegExp][] = [
    ["Đơn hàng", "Đơn hàng của cơ sở"],
    ["Tài khoản nhận tiền (VietQR)", /.+/],
    ["Người hỗ trợ của cơ sở", "Người hỗ trợ của cơ sở"],
  ];
  for (const [i, [link, heading]] of kept.entries()) {
    await page.goto("/producer");
    await page.getByRole("link", { name: link, exact: true }).click();
    await page.waitForURL((u) => u.pathname !== "/producer");
    await expectCached(page, user, heading);
    await shot(page, `02-menu-${i}-kept`);
  }
  // The product and the batch opened online.
  await page.goto("/producer");
  await page.getByRole("link", { name: "Chè búp Tân Cương" }).first().click();
  await page.waitForURL((u) => u.pathname === productPath);
  await expectCached(page, user, /Chè búp Tân Cương/);
  await page.goto("/producer");
  await page.getByRole("link", { name: lot, exact: true }).click();
  await page.waitForURL((u) => u.pathname === batchPath);
  await expectCached(page, user, `Chè búp Tân Cương · Lô ${lot}`);
  await shot(page, "03-batch-kept");

  // Never opened online: the offline page, in the app's style, at the address tapped.
  await page.goto("/producer");
  await page.getByRole("link", { name: "Thêm sản phẩm", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/producer/products/new");
  await expectOfflinePage(page);
  await expect(page.getByText(/Ghi nhật ký lô hàng/)).toBeVisible();
  await expect(page.getByText(/Đơn hàng mới/)).toBeVisible();
  await shot(page, "04-never-opened");
  expect(discovery.filter((s) => s === 200).length, "route discovery answered by the worker").toBeGreaterThan(0);
  // Typed in, never opened either.
  await page.goto(`${productPath}/certificates/new`);
  await expectOfflinePage(page);

  // The header's links: the producer's start page is kept; the shop's pages need the network.
  await page.goto(batchPath);
  await page.locator("header").getByRole("link", { name: "Cơ sở sản xuất" }).click();
  await page.waitForURL((u) => u.pathname === "/producer");
  await expectCached(page, user, /.+/);
  for (const [i, name] of ["Sản phẩm", "Quét mã", /^Giỏ hàng/, "Đơn mua", "ocop-trace"].entries()) {
    await page.goto("/producer");
    await page
      .locator("header")
      .getByRole("link", { name, exact: typeof name === "string" })
      .click();
    await page.waitForURL((u) => u.pathname !== "/producer");
    await expectOfflinePage(page);
    await shot(page, `05-header-${i}`);
  }
  // Its "Về trang chủ cơ sở" link leads back into the kept app.
  await page.getByRole("link", { name: "Về trang chủ cơ sở" }).click();
  await page.waitForURL((u) => u.pathname === "/producer");
  await expectCached(page, user, /.+/);

  // Meanwhile the household adds a lot from another phone that has signal.
  const other = await browser.newContext({ locale: "vi-VN" });
  const otherPage = await other.newPage();
  const lot2 = `${lot}-B`;
  await logIn(otherPage, "0912345678", "nongdan123");
  await addDemoBatch(otherPage, lot2);
  await other.close();

  // Back online: the offline page opens the page that was asked for by itself…
  await page.goto("/producer/products/new");
  await expectOfflinePage(page);
  await context.setOffline(false);
  await expect(page.getByRole("heading", { level: 1, name: "Thêm sản phẩm" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("Đang ngoại tuyến")).toHaveCount(0);
  // …and on a kept page the banner goes and the next tap loads fresh data.
  await context.setOffline(true);
  await page.goto(batchPath);
  await expect(page.getByRole("status").filter({ hasText: "Đang ngoại tuyến" })).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByText("Đang ngoại tuyến")).toHaveCount(0);
  await page.locator("header").getByRole("link", { name: "Cơ sở sản xuất" }).click();
  await expect(page.getByRole("link", { name: lot2, exact: true })).toBeVisible();
  await shot(page, "06-back-online");
});

test("in English: the banner and the offline page follow the app's language", async ({ page, context }) => {
  test.setTimeout(90_000);
  await logIn(page, "0912345678", "nongdan123");
  await page.goto("/producer");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  const user = (await page.locator("header form[action='/logout'] span").textContent())!.trim();
  await installAndVisit(page, { orders: "Orders", profile: "Account for payments (VietQR)", helpers: "Helpers of this producer" });

  await context.setOffline(true);
  await page.getByRole("link", { name: "Orders", exact: true }).click();
  await expectCached(page, user, "Orders", "Offline");
  await shot(page, "10-en-kept");
  await page.goto("/producer");
  await page.getByRole("link", { name: "Add product", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/producer/products/new");
  await expectOfflinePage(page, "No connection", "Offline");
  await expect(page.getByText(/Record steps of a lot/)).toBeVisible();
  await shot(page, "11-en-offline-page");
  await page.goto("/producer");
  await page.locator("header").getByRole("link", { name: "Products" }).click();
  await expectOfflinePage(page, "No connection", "Offline");
});

test("offline, the header's language and log-out buttons say they need the network and keep the producer where they are", async ({
  page,
  context,
}) => {
  await logIn(page, "0912345678", "nongdan123");
  await installAndVisit(page, { orders: "Đơn hàng", profile: "Tài khoản nhận tiền (VietQR)", helpers: "Người hỗ trợ của cơ sở" });
  const user = (await page.locator("header form[action='/logout'] span").textContent())!.trim();
  await context.setOffline(true);
  await page.getByRole("link", { name: "Đơn hàng", exact: true }).click();
  await expectCached(page, user, "Đơn hàng của cơ sở");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("status").filter({ hasText: "cần có mạng" })).toBeVisible();
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("status").filter({ hasText: "cần có mạng" })).toBeVisible();
  await expectCached(page, user, "Đơn hàng của cơ sở");
  await shot(page, "20-forms-offline");
  // The pages kept for offline use are still there (logging out did not start).
  expect(await page.evaluate(async () => (await (await caches.open("ocop-producer-pages")).keys()).length)).toBeGreaterThan(0);
});

test("an error page inside the app still shows who is logged in (a page's loader failed, not the header's)", async ({ page }) => {
  await logIn(page, "0912345678", "nongdan123");
  const user = (await page.locator("header form[action='/logout'] span").textContent())!.trim();
  await page.goto("/producer/batches/khong-co-lo-nay");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("header").getByText(user, { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
  // In-app: the same, through Remix's router once the page is hydrated (a link added to the DOM
  // before hydration ends is a mismatch React throws away).
  await page.goto("/producer");
  await page.waitForFunction(() => "__remixRouter" in window && document.readyState === "complete");
  await page.evaluate(() => {
    void (window as unknown as { __remixRouter: { navigate: (to: string) => Promise<void> } }).__remixRouter.navigate(
      "/producer/batches/khong-co-lo-nay",
    );
  });
  await page.waitForURL((u) => u.pathname === "/producer/batches/khong-co-lo-nay");
  await expect(page.locator("header").getByText(user, { exact: true })).toBeVisible();
});
