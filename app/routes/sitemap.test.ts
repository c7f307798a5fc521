import { XMLParser, XMLValidator } from "fast-xml-parser";
import { prisma } from "~/db.server";
import { holdBatch } from "~/domain/inspection/recalls.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { forgetSitemaps } from "~/web/sitemap.server";
import { appUrl } from "~/lib/app-url.server";
import * as sitemap from "./sitemap[.xml]";
import * as sitemapFile from "./sitemaps.$file";
import * as robots from "./robots[.txt]";
import * as trace from "./t.$code._index";
import * as productPage from "./products.$productId";
import { addProductPhoto, args, createProducer, createProductWithBatch, createUser, get, payload } from "../../test/helpers";

const parser = new XMLParser({ isArray: (name) => name === "url" || name === "sitemap" });

async function xmlOf(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("application/xml");
  expect(response.headers.get("Cache-Control")).toContain("public");
  const text = await response.text();
  expect(XMLValidator.validate(text)).toBe(true);
  return parser.parse(text) as {
    sitemapindex?: { sitemap: { loc: string; lastmod?: string }[] };
    urlset?: { url: { loc: string; lastmod?: string }[] };
  };
}

/** Every URL the sitemap lists, following the index to its files. */
async function allListed(): Promise<string[]> {
  forgetSitemaps();
  const index = await xmlOf(await sitemap.loader(args(get("/sitemap.xml"))));
  const files = index.sitemapindex?.sitemap ?? [];
  const urls: string[] = [];
  for (const file of files) {
    expect(file.loc.startsWith(`${appUrl()}/sitemaps/`)).toBe(true);
    expect(file.lastmod).toMatch(/^\d{4}-\d\d-\d\dT/);
    const name = file.loc.slice(`${appUrl()}/sitemaps/`.length);
    const set = await xmlOf(await sitemapFile.loader(args(get(`/sitemaps/${name}`), { file: name })));
    urls.push(...(set.urlset?.url ?? []).map((u) => u.loc));
  }
  return urls;
}

describe("sitemap", () => {
  it("lists products on sale of approved producers, the approved producers and their provinces' lists; never a held, unlisted or unapproved product, nor a trace page", async () => {
    const { producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
    const { product: onSale } = await createProductWithBatch(producer.id, "LOT-SALE");
    const { product: held, batch: heldLot } = await createProductWithBatch(producer.id, "LOT-HELD");
    const { product: unlisted } = await createProductWithBatch(producer.id, "LOT-UNLISTED");
    await prisma.product.update({ where: { id: unlisted.id }, data: { listingStatus: "UNLISTED" } });
    const { producer: pending } = await createProducer("PENDING", "HTX Chờ duyệt");
    const { product: ofPending } = await createProductWithBatch(pending.id, "LOT-PENDING");

    const before = await allListed();
    expect(before).toContain(`${appUrl()}/products/${held.id}`);

    const inspector = await createUser(["INSPECTOR"], "Thanh tra");
    expect((await holdBatch(heldLot.id, inspector.id, "Chờ kết quả kiểm nghiệm")).ok).toBe(true);
    const urls = await allListed();

    expect(urls).toContain(`${appUrl()}/products/${onSale.id}`);
    expect(urls).toContain(`${appUrl()}/producers/${producer.id}`);
    expect(urls).toContain(`${appUrl()}/products?province=19`);
    expect(urls).not.toContain(`${appUrl()}/products/${held.id}`);
    expect(urls).not.toContain(`${appUrl()}/products/${unlisted.id}`);
    expect(urls).not.toContain(`${appUrl()}/products/${ofPending.id}`);
    expect(urls).not.toContain(`${appUrl()}/producers/${pending.id}`);
    // Only shop pages: products, producers, a province's list.
    for (const url of urls) expect(url).toMatch(/^https?:\/\/[^/]+\/(products\/[^/?]+|producers\/[^/?]+|products\?province=\d+)$/);
  });

  it("answers 404 for a file that is none or a page past the end", async () => {
    forgetSitemaps();
    for (const name of ["products-0.xml", "products-x.xml", "../robots.txt", "orders-1.xml", "products-9999.xml"]) {
      const response = await sitemapFile.loader(args(get(`/sitemaps/${encodeURIComponent(name)}`), { file: name }));
      expect(response.status, name).toBe(404);
    }
  });
});

describe("robots.txt", () => {
  it("allows the shop, keeps crawlers out of workspaces, buying steps and the API, and points at the sitemap", async () => {
    const response = robots.loader();
    const text = await response.text();
    const lines = text.split("\n");
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Allow: /producers/");
    for (const path of ["/producer", "/inspector", "/admin", "/officer", "/helper", "/orders", "/checkout", "/cart", "/api"])
      expect(lines).toContain(`Disallow: ${path}`);
    expect(lines).not.toContain("Disallow: /products");
    expect(lines).toContain(`Sitemap: ${appUrl()}/sitemap.xml`);
  });
});

describe("search tags", () => {
  it("keeps the trace page noindex", async () => {
    const { producer, user } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "LOT-TRACE");
    const { code } = await issueBatchCode(batch.id, user.id);
    const html = await (await trace.loader(args(get(`/t/${code}`), { code }))).text();
    expect(html).toMatch(/<meta name="robots" content="noindex"/);
  });

  it("offers a held product as OutOfStock in its JSON-LD", async () => {
    const { producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id, "LOT-OOS");
    const seoOf = async () =>
      payload<{ seo: { jsonLd: unknown } }>(await productPage.loader(args(get(`/products/${product.id}`), { productId: product.id }))).seo;
    // No photo, no Product data (Google requires an image): the page has none rather than invalid data.
    expect((await seoOf()).jsonLd).toBeNull();
    await addProductPhoto(product.id);
    const offer = async () =>
      payload<{ seo: { jsonLd: { offers: { availability: string; price: number; priceCurrency: string } } } }>(
        await productPage.loader(args(get(`/products/${product.id}`), { productId: product.id })),
      ).seo.jsonLd.offers;
    expect(await offer()).toMatchObject({ availability: "https://schema.org/InStock", price: 100000, priceCurrency: "VND" });
    const inspector = await createUser(["INSPECTOR"], "Thanh tra");
    expect((await holdBatch(batch.id, inspector.id, "Nghi nhiễm")).ok).toBe(true);
    expect((await offer()).availability).toBe("https://schema.org/OutOfStock");
  });
});
