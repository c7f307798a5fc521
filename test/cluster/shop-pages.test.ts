import type { ChildProcess } from "node:child_process";
import { recallBatch } from "~/domain/inspection/recalls.server";
import { setCartQuantity } from "~/domain/orders/cart.server";
import { chromium } from "@playwright/test";
import { startServer } from "./server-process";
import { cookieFor, createProducer, createProductWithBatch, createUser, PHONE_UA } from "../helpers";

// Shop pages are kept for everyone (server/list-cache.ts) with each visitor's header written
// in; a recall drops them at once on every instance (PostgreSQL NOTIFY). Two real servers on
// one database, pages kept a minute: only the invalidation can explain a fresh page.

let servers: { base: string; proc: ChildProcess }[] = [];

beforeAll(async () => {
  servers = await Promise.all([startServer({ LIST_CACHE_MS: "60000" }), startServer({ LIST_CACHE_MS: "60000" })]);
}, 90_000);

afterAll(() => {
  for (const s of servers) s.proc.kill();
});

const get = (base: string, p: string, cookie?: string) =>
  fetch(`${base}${p}`, { headers: { "User-Agent": PHONE_UA, ...(cookie ? { Cookie: cookie } : {}) } });

const cartLink = (html: string) => /href="\/cart"[^>]*>([^<]*)</.exec(html)?.[1] ?? "";

describe("kept shop pages", () => {
  it("never show one visitor's header to another, whoever asks first, and hydrate from their own island", async () => {
    const { producer } = await createProducer();
    const { product } = await createProductWithBatch(producer.id, "SP-1");
    const an = await createUser(["SHOPPER"], "Nguyễn Văn An");
    const binh = await createUser(["SHOPPER"], "Trần Thị Bình");
    await setCartQuantity({ userId: an.id, guestCartId: null, clientAddress: "1.1.1.1" }, product.id, 2, "set");
    await setCartQuantity({ userId: binh.id, guestCartId: null, clientAddress: "1.1.1.2" }, product.id, 5, "set");
    const cookies = { an: await cookieFor(an.id), binh: await cookieFor(binh.id) };
    const [first, second] = servers;
    // On one server An comes first, on the other Bình.
    for (const [server, order] of [
      [first!, ["an", "binh"]],
      [second!, ["binh", "an"]],
    ] as const) {
      for (const who of order) {
        const page = await get(server.base, `/products/${product.id}`, cookies[who]);
        expect(page.status).toBe(200);
        const html = await page.text();
        const [name, other, count] = who === "an" ? ["Nguyễn Văn An", "Trần Thị Bình", "2"] : ["Trần Thị Bình", "Nguyễn Văn An", "5"];
        expect(html).toContain(name);
        expect(html).not.toContain(other);
        expect(cartLink(html)).toContain(count);
        expect(html).toMatch(new RegExp(`<script type="application/json" id="ocop-viewer">\\{"user":\\{"name":"${name}"`));
        expect(html).toContain("Chè búp");
      }
      const anonymous = await (await get(server.base, `/products/${product.id}`)).text();
      expect(anonymous).not.toMatch(/Nguyễn Văn An|Trần Thị Bình/);
      expect(cartLink(anonymous)).toContain("0");
    }
    // The second visitor on each server got the kept page, not a render of their own.
    expect((await get(first!.base, `/products/${product.id}`, cookies.an)).headers.get("X-List-Cache")).toBe("hit");
  }, 30_000);

  it("keeps the CSP nonce of every script valid in a page written for a visitor", async () => {
    const user = await createUser(["SHOPPER"], "Lê Văn Cường");
    const cookie = await cookieFor(user.id);
    const base = servers[0]!.base;
    await get(base, "/products");
    const page = await get(base, "/products", cookie);
    expect(page.headers.get("X-List-Cache")).toBe("hit");
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const html = await page.text();
    const scripts = [...html.matchAll(/<script(?![^>]*type="application\/json")[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) if (!tag.includes(" src=")) expect(tag).toContain(`nonce="${nonce}"`);
  }, 30_000);

  it("shows a recall at once on both instances", async () => {
    const { producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id, "SP-RECALL");
    const inspector = await createUser(["INSPECTOR"], "Thanh tra");
    const cookie = await cookieFor(inspector.id);
    for (const { base } of servers) {
      for (const c of [undefined, cookie]) {
        const html = await (await get(base, `/products/${product.id}`, c)).text();
        expect(html).toContain("Thêm vào giỏ");
      }
      expect((await get(base, `/products/${product.id}`)).headers.get("X-List-Cache")).toBe("hit");
    }
    const recalled = await recallBatch(batch.id, inspector.id, {
      reason: "Nhiễm vi sinh thử nghiệm",
      recallClass: 1,
      instructions: "Ngừng dùng",
    });
    expect(recalled.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // NOTIFY travels at commit; well under a second
    for (const { base } of servers) {
      for (const c of [undefined, cookie]) {
        const html = await (await get(base, `/products/${product.id}`, c)).text();
        expect(html).not.toContain("Thêm vào giỏ");
        expect(html).toContain("đang bị thu hồi");
      }
    }
  }, 30_000);

  it("hydrates the written-in header without a mismatch in Chromium, and an add to cart updates it", async () => {
    const { producer } = await createProducer();
    const { product } = await createProductWithBatch(producer.id, "SP-BROWSER");
    const user = await createUser(["SHOPPER"], "Phạm Thị Dung");
    const [name, value] = (await cookieFor(user.id)).split("=") as [string, string];
    const base = servers[0]!.base;
    await get(base, `/products/${product.id}`); // kept before the shopper comes
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
    try {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      await context.addCookies([{ name, value, url: base }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
      page.on("pageerror", (e) => void errors.push(e.message));
      const answer = await page.goto(`${base}/products/${product.id}`);
      expect(answer?.headers()["x-list-cache"]).toBe("hit");
      await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter));
      await page.waitForTimeout(500);
      await expect.poll(() => page.locator("header").innerText()).toContain("Phạm Thị Dung");
      expect(await page.locator('header a[href="/cart"]').innerText()).toContain("0");
      await page.getByRole("button", { name: "Thêm vào giỏ" }).click();
      await expect.poll(() => page.locator('header a[href="/cart"]').innerText(), { timeout: 10_000 }).toContain("1");
      expect(await page.locator("header").innerText()).toContain("Phạm Thị Dung");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
