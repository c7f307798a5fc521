import { expect, logIn, logOut, test, type Page } from "./fixtures";

// An admin, a community helper and a shopper on a small phone (360 × 740), by tapping:
// the admin's inspector pages lead nowhere forbidden, approving a household tells it so,
// the helper prints the household's claim card, and a swapped-letter search still finds
// the fish sauce and offers "did you mean".

test.use({ viewport: { width: 360, height: 740 } });

const suffix = Date.now().toString().slice(-5);
const household = `Hộ bà Lò Thị Xuân ${suffix}`;
const householdPhone = `0977${suffix}1`.slice(0, 10);

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `test-results/admin-helper/${name}.png`, fullPage });

test("helper prints a claim card, admin approves and follows every dashboard link, shopper's typo is forgiven", async ({ page }) => {
  // 1. The helper registers a household and opens its claim card.
  await logIn(page, "tocns@ocop-trace.vn", "hotro123");
  await page.getByRole("link", { name: "Hỗ trợ hộ dân" }).click();
  await page.getByRole("link", { name: "Đăng ký một hộ mới" }).click();
  await page.getByLabel("Họ tên chủ hộ").fill("Lò Thị Xuân");
  await page.getByLabel("Số điện thoại chủ hộ").fill(householdPhone);
  await page.getByLabel(/Chủ hộ đã đồng ý/).check();
  await page.getByLabel("Tên cơ sở").fill(household);
  await page.getByLabel("Tỉnh / thành phố").selectOption({ label: "Sơn La" });
  await expect(page.getByLabel("Phường / xã").locator("option", { hasText: "Phường Mộc Châu" })).toHaveCount(1);
  await page.getByLabel("Phường / xã").selectOption({ label: "Phường Mộc Châu" });
  await page.getByLabel("Số nhà, đường / thôn, xóm").fill("Bản Áng");
  await page.getByRole("button", { name: "Đăng ký hộ" }).click();
  const code = (await page.getByTestId("claim-code").textContent())!.trim();
  expect(code).toMatch(/^\d{10}$/);
  await expect(page.getByRole("link", { name: "/claim" })).toBeVisible();
  await page.getByRole("button", { name: "In thẻ nhận tài khoản" }).click();
  const card = page.getByTestId("claim-card");
  await expect(card).toBeVisible();
  await expect(page.getByTestId("card-code")).toHaveText(code.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1 $2 $3"));
  await expect(card.getByRole("img", { name: "Mã QR mở trang nhận tài khoản" })).toBeVisible();
  await expect(card.getByRole("link", { name: /\/claim\?phone=/ })).toBeVisible();
  await shot(page, "1-claim-card");
  // The card's link opens the claim page with the phone filled in.
  await card.getByRole("link", { name: /\/claim\?phone=/ }).click();
  await expect(page.getByRole("textbox", { name: "Số điện thoại chủ hộ" }).first()).toHaveValue(householdPhone);
  // From the list of households: the same card page, and the code by text message.
  await page.getByRole("link", { name: "Hỗ trợ hộ dân" }).click();
  await page.getByRole("link", { name: `Thẻ nhận tài khoản / gửi mã: ${household}` }).click();
  await page.getByLabel(/Mã bạn đã nhận khi đăng ký hộ/).fill(code);
  await page.getByRole("button", { name: "Gửi mã qua tin nhắn" }).click();
  await expect(page.getByText(`Đã gửi mã đến số ${householdPhone}.`)).toBeVisible();
  await shot(page, "2-claim-sms");
  await logOut(page);

  // 2. The admin approves the household and sees it said.
  await logIn(page, "admin@ocop-trace.vn", "quantri123");
  await page.getByRole("link", { name: "Quản trị", exact: true }).click();
  await page.getByRole("button", { name: `Duyệt ${household}` }).click();
  const said = page.getByRole("status").filter({ hasText: `Đã duyệt ${household}.` });
  await expect(said).toBeVisible();
  await expect(said).toBeInViewport();
  await expect(page.getByRole("button", { name: `Duyệt ${household}` })).toHaveCount(0);
  await shot(page, "3-approved", false);
  await page.getByRole("link", { name: "Hộp thư đi" }).click();
  await expect(page.getByText(`${household} đã được duyệt trên ocop-trace`)).toBeVisible();
  await page.getByRole("link", { name: "Quản trị", exact: true }).click();
  // The inspector provinces are checkboxes, tapped one by one.
  await page.getByRole("checkbox", { name: "Sơn La" }).check();
  await page.getByRole("checkbox", { name: "Thái Nguyên" }).check();
  await expect(page.getByRole("checkbox", { name: "Sơn La" })).toBeChecked();

  // 3. The province dashboard: every province at first, a chosen one kept in the URL, and every link opens.
  await page.getByRole("link", { name: "Số liệu tỉnh và xuất dữ liệu" }).click();
  await expect(page.getByRole("heading", { name: "Số liệu mọi tỉnh" })).toBeVisible();
  await shot(page, "4-dashboard-all");
  const picker = page.locator("main form select[name=province]").first();
  await picker.selectOption({ label: "Thái Nguyên" });
  await expect(picker).toHaveValue("19");
  await page.getByRole("button", { name: "Xem" }).click();
  await expect(page).toHaveURL(/[?&]province=19\b/);
  await expect(page.getByRole("heading", { name: "Số liệu tỉnh Thái Nguyên" })).toBeVisible();
  await expect(page).toHaveURL(/province=19/);
  const links = page.locator("main a[href^='/']");
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) {
    await page.locator(`main a[href='${href}']`).first().click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Không có quyền" })).toHaveCount(0);
    await page.goBack();
    await expect(page.getByRole("heading", { name: "Số liệu tỉnh Thái Nguyên" })).toBeVisible();
  }
  await page.getByRole("link", { name: "← Trang quản trị" }).click();
  await expect(page.getByRole("heading", { name: "Quản trị" })).toBeVisible();
  await logOut(page);

  // 4. A shopper swaps two letters: the fish sauce is found anyway, and "did you mean" takes them to it.
  await page.getByRole("link", { name: "Sản phẩm", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sản phẩm OCOP", exact: true })).toBeVisible();
  await page.getByRole("searchbox").fill("nuoc mma");
  await page.getByRole("button", { name: "Tìm", exact: true }).click();
  const didYouMean = page.getByTestId("did-you-mean");
  await expect(didYouMean).toContainText("Có phải bạn muốn tìm:");
  await shot(page, "5-did-you-mean");
  await didYouMean.getByRole("link", { name: "nước mắm" }).click();
  await expect(page).toHaveURL(/q=n%C6%B0%E1%BB%9Bc\+m%E1%BA%AFm|q=n%C6%B0%E1%BB%9Bc%20m%E1%BA%AFm/);
  await expect(page.getByTestId("did-you-mean")).toHaveCount(0);
  await expect(page.locator("main ul li").first()).toContainText(/Nước mắm/);
  await shot(page, "6-nuoc-mam");

  // The same in English.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "OCOP products", exact: true })).toBeVisible();
  await page.getByRole("searchbox").fill("nuoc mma");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("did-you-mean")).toContainText("Did you mean:");
  await shot(page, "7-did-you-mean-en");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
});
