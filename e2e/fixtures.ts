import { test as base, expect, type Page } from "@playwright/test";

// Every journey also fails on any uncaught error in the browser (hydration
// mismatches, a server-only value that is undefined in the bundle, …).
export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await use();
      expect(errors, "uncaught errors in the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page } from "@playwright/test";

/** A cheap Android phone's browser: counted as a person scanning (headless Chrome is not). */
export const PHONE_UA = "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";

export async function logIn(page: Page, identifier: string, secret: string) {
  await page.goto("/login");
  await page.getByLabel("Số điện thoại hoặc email").fill(identifier);
  await page.getByLabel("Mật khẩu").fill(secret);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
}

/** Logs out and waits until it has happened (a page load right after the click could still be logged in). */
export async function logOut(page: Page) {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
}

/** The journeys' database (a throwaway copy, see playwright.config.ts): for set-up and for facts the UI does not show. */
export async function e2eDb() {
  const Database = (await import("better-sqlite3")).default;
  const path = await import("node:path");
  return new Database(path.join(process.env.E2E_DATA_DIR!, "e2e.db"));
}

/** Fills the checkout form; the province choice loads its wards (with JavaScript by itself, else by the button). */
export async function fillCheckout(page: Page, who: { name: string; phone: string }, method: RegExp) {
  await page.getByLabel("Họ và tên").fill(who.name);
  await page.getByLabel("Số điện thoại").fill(who.phone);
  await page.getByLabel("Tỉnh / thành phố").selectOption({ label: "Sơn La" });
  await expect(page.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel("Số nhà, đường / thôn, xóm").fill("Tổ 3, đường Lê Lợi");
  await page.getByLabel(method).check();
}
