import type { ChildProcess } from "node:child_process";
import { localeCookie } from "~/i18n/locale.server";
import { prisma } from "~/db.server";
import { startServer } from "./server-process";
import { createProducer, createProductWithBatch, PHONE_UA } from "../helpers";

// Storefront lists are kept a few seconds per URL, language and province (server/list-cache.ts),
// for everyone: a visitor with a session, cart or acting cookie gets the kept page with their own
// header written in (test/cluster/shop-pages.test.ts). A real server process.

let proc: ChildProcess;
let base: string;

beforeAll(async () => {
  ({ base, proc } = await startServer({ LIST_CACHE_MS: "60000" }));
}, 30_000);

afterAll(() => {
  proc?.kill();
});

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${base}${p}`, { headers: { "User-Agent": PHONE_UA, ...headers } });

describe("the shop page cache", () => {
  it("serves a list from memory per language, to anonymous, signed-in and carting visitors alike, never a data request", async () => {
    const { producer } = await createProducer();
    await createProductWithBatch(producer.id, "LC-1");
    const first = await get("/products");
    expect(first.headers.get("X-List-Cache")).toBe("miss");
    const firstHtml = await first.text();
    expect(firstHtml).toContain("Chè búp");
    const second = await get("/products");
    expect(second.headers.get("X-List-Cache")).toBe("hit");
    expect(await second.text()).toBe(firstHtml);

    // A product listed meanwhile: the kept page lags (as lists may, LIST_CACHE_MS), for a
    // visitor with a session, cart or acting cookie too (they get it with their own header).
    await prisma.product.create({
      data: {
        producerId: producer.id,
        name: "Mật ong bạc hà Mèo Vạc",
        ocopGroup: 1,
        unit: "chai",
        priceVnd: 250000,
        description: "",
        searchText: " mat ong bac ha meo vac ",
      },
    });
    expect(await (await get("/products")).text()).not.toContain("Mật ong bạc hà Mèo Vạc");
    for (const cookie of ["ocop_session=anything", "ocop_cart=anything", "ocop_acting=x"]) {
      const kept = await get("/products", { Cookie: cookie });
      expect(kept.headers.get("X-List-Cache"), cookie).toBe("hit");
      expect(await kept.text(), cookie).not.toContain("Mật ong bạc hà Mèo Vạc");
    }
    // Remix's data request for the same list (a client navigation) is never kept.
    expect((await get("/products.data")).headers.get("X-List-Cache")).toBeNull();

    // The language is the visitor's choice (the lang cookie), not the browser's: a phone set to
    // English gets the same Vietnamese page, from memory; one that chose English gets its own.
    const phoneInEnglish = await get("/products", { "Accept-Language": "en-US,en;q=0.9" });
    expect(phoneInEnglish.headers.get("X-List-Cache")).toBe("hit");
    expect(await phoneInEnglish.text()).toContain('<html lang="vi"');
    const chose = (await localeCookie.serialize("en")).split(";")[0]!;
    const english = await get("/products", { Cookie: chose, "Accept-Language": "vi" });
    expect(english.headers.get("X-List-Cache")).toBe("miss");
    expect(await english.text()).toContain('<html lang="en"');
    expect((await get("/products", { Cookie: chose })).headers.get("X-List-Cache")).toBe("hit");
  }, 30_000);
});
