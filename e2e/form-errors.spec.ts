import { expect, test } from "./fixtures";

// A refused form shows each message next to its field and keeps what was typed, with
// JavaScript (the reply read through Conform after a fetch) and without (a plain post).
for (const javaScriptEnabled of [true, false]) {
  test(`sign-up refuses bad input in place and keeps the typed values (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const ctx = await browser.newContext({ javaScriptEnabled, locale: "vi-VN" });
    const page = await ctx.newPage();
    await page.goto("/signup");
    await page.getByLabel("Người mua").check();
    await page.getByLabel("Số điện thoại hoặc email").fill("0931 555 777");
    await page.getByLabel("Mật khẩu").fill("ngan");
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    await expect(page.locator("#name-error")).toHaveText("Vui lòng điền mục này.");
    await expect(page.getByLabel("Họ và tên")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Số điện thoại hoặc email")).toHaveValue("0931 555 777");
    await expect(page.getByLabel("Người mua")).toBeChecked();
    await expect(page.getByLabel("Mật khẩu")).toHaveValue(javaScriptEnabled ? "ngan" : "");
    await ctx.close();
  });
}
