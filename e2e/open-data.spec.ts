import { expect, test, type Page } from "./fixtures";

// The open-data page on a phone, with no script: every dataset and its links, in Vietnamese
// and in English, nothing wider than the screen; the catalogs and the API answer from the
// running server.

test.use({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/open-data-${name}.png`, fullPage: true });

test("/du-lieu-mo at 360 px without JavaScript, in Vietnamese then English; data.json and a dataset page answer", async ({
  page,
  request,
}) => {
  await page.goto("/");
  await page.getByRole("link", { name: /^Dữ liệu mở/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dữ liệu mở" })).toBeVisible();
  await expect(page.locator("[data-dataset]")).toHaveCount(7);
  await expect(page.getByRole("link", { name: "Tải bản mới nhất (CSV nén gzip)" }).first()).toHaveAttribute(
    "href",
    "/du-lieu-mo/producers/latest.csv.gz",
  );
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await shot(page, "vi");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Open data" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "Scan statistics" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await shot(page, "en");

  const catalog = await request.get("/data.json");
  expect(catalog.status()).toBe(200);
  expect(((await catalog.json()) as { dataset: unknown[] }).dataset).toHaveLength(7);
  const producers = await request.get("/api/v1/open-data/producers?limit=2");
  expect(producers.status()).toBe(200);
  const body = (await producers.json()) as { items: unknown[]; next: string | null };
  expect(body.items.length).toBeGreaterThan(0);
});
