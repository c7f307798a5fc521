import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { expect, logIn, test } from "./fixtures";

// The producer area is an installable app: Chromium's own installability check (what
// Lighthouse's PWA category used to run; Lighthouse 13 dropped it), the manifest's
// fields, the worker's headers and scope, and nothing of it on the public pages.

test("/producer is installable: manifest, icons, a worker controlling the scope; public pages carry none of it", async ({
  page,
  request,
}) => {
  const sw = await request.get("/sw.js");
  expect(sw.status()).toBe(200);
  expect(sw.headers()["cache-control"]).toBe("no-cache");
  expect(sw.headers()["content-type"]).toMatch(/javascript/);
  const body = await sw.text();
  // The precache list of the build's assets (relative to /sw.js) and the icons' revisions.
  expect(body.includes('"url":"build/entry.client-'), "entry.client precached").toBe(true);
  expect(/"revision":"[0-9a-f]{32}","url":"manifest\.webmanifest"/.test(body), "manifest revision").toBe(true);

  const manifestAnswer = await request.get("/manifest.webmanifest");
  expect(manifestAnswer.headers()["content-type"]).toMatch(/application\/manifest\+json/);
  const manifest = (await manifestAnswer.json()) as Record<string, unknown> & {
    icons: { src: string; sizes: string; purpose: string; type: string }[];
  };
  expect(manifest).toMatchObject({ lang: "vi", start_url: "/producer", scope: "/producer", display: "standalone", theme_color: "#166534" });
  expect(String(manifest.name)).toMatch(/Nhật ký/);
  for (const [sizes, purpose] of [
    ["192x192", "any"],
    ["512x512", "any"],
    ["512x512", "maskable"],
  ] as const) {
    const icon = manifest.icons.find((i) => i.sizes === sizes && i.purpose === purpose);
    expect(icon, `${sizes} ${purpose}`).toBeDefined();
    const png = await request.get(icon!.src);
    expect(png.status()).toBe(200);
    const bytes = await png.body();
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)].join("x")).toBe(sizes);
  }

  // Public pages: no manifest link, no worker.
  await page.goto("/");
  await expect(page.locator('link[rel="manifest"]')).toHaveCount(0);
  await page.goto("/products");
  await expect(page.locator('link[rel="manifest"]')).toHaveCount(0);

  await logIn(page, "0912345678", "nongdan123");
  await page.goto("/producer");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/\/producer$/);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);

  // A public page is outside the worker's scope.
  await page.goto("/products");
  expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
});

test("Chromium finds no installability error on /producer (Page.getInstallabilityErrors)", async ({ browser, baseURL }, testInfo) => {
  // Chromium never offers installation in an incognito profile, which every Playwright
  // context is: this check runs in a profile on disk, as a phone's browser has.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-pwa-"));
  const launch = testInfo.project.use.launchOptions ?? {};
  const context = await chromium.launchPersistentContext(profile, {
    ...launch,
    executablePath: launch.executablePath ?? (browser.browserType().executablePath() || undefined),
    baseURL,
    locale: "vi-VN",
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await logIn(page, "0912345678", "nongdan123");
    await page.goto("/producer");
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await page.reload();
    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => ((await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: unknown[] }).installabilityErrors, {
        timeout: 20_000,
      })
      .toEqual([]);
    const parsed = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[] };
    expect(parsed.url).toMatch(/\/manifest\.webmanifest$/);
    expect(parsed.errors).toEqual([]);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test("a new deploy does not leave the producer on a stale shell: the new worker is offered, and taking it reloads the page on it", async ({
  page,
}) => {
  await logIn(page, "0912345678", "nongdan123");
  await page.goto("/producer");
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const before = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
  // A deploy: the built worker's bytes change (a new precache list does this in a real one).
  const file = path.resolve("public/sw.js");
  const original = fs.readFileSync(file, "utf8");
  try {
    fs.writeFileSync(file, `${original}\n// deploy ${Date.now()}\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/producer"))?.update());
    await expect(page.getByText("Có phiên bản mới của ứng dụng.")).toBeVisible({ timeout: 20_000 });
    const reloaded = page.waitForEvent("framenavigated");
    await page.getByRole("button", { name: "Tải lại" }).click();
    await reloaded;
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/producer"))?.waiting === null))
      .toBe(true);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(before);
    await expect(page.getByText("Có phiên bản mới của ứng dụng.")).toHaveCount(0);
  } finally {
    fs.writeFileSync(file, original);
  }
});
