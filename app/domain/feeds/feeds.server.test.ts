import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parse as parseCsv } from "csv-parse/sync";
import { prisma } from "~/db.server";
import { isValidGtin } from "~/domain/catalog/gtin";
import { enqueueJob } from "~/domain/jobs/queue.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { allowance } from "~/domain/security/rate-limits.server";
import { feedResponse } from "~/web/feed-response.server";
import * as siteGoogleRoute from "~/routes/feeds.google[.xml]";
import * as producerMetaRoute from "~/routes/producers.$producerId.feeds.meta[.csv]";
import { createProducer, createProductWithBatch } from "../../../test/helpers";
import { googleFeedItem, type FeedItem } from "./formats";

// The feeds as a marketplace reads them: built by the job, fetched through the routes, parsed
// by an independent XML parser and CSV parser.

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["item", "g:shipping", "g:additional_image_link"].includes(name) });
type GItem = Record<string, string | number | undefined> & {
  "g:id": string;
  "g:shipping"?: Record<string, string>[];
  "g:additional_image_link"?: string[];
};

let ipCounter = 0;
const fromNewClient = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, {
    headers: { "x-ocop-client-ip": `10.77.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`, ...headers },
  });

async function runFeedJob() {
  await enqueueJob(prisma, "feeds-rebuild", {}, { key: `feeds-test-${Math.random()}` });
  await runDueJobs();
}

async function googleItems(producerId?: string): Promise<GItem[]> {
  const path = producerId ? `/producers/${producerId}/feeds/google.xml` : "/feeds/google.xml";
  const res = await feedResponse(fromNewClient(path), "google", producerId);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(XMLValidator.validate(text)).toBe(true);
  const doc = xml.parse(text) as { rss: { "@_xmlns:g": string; channel: { item?: GItem[] } } };
  expect(doc.rss["@_xmlns:g"]).toBe("http://base.google.com/ns/1.0");
  return doc.rss.channel.item ?? [];
}

async function metaRows(producerId?: string): Promise<Record<string, string>[]> {
  const res = await feedResponse(fromNewClient("/feeds/meta.csv"), "meta", producerId);
  expect(res.status).toBe(200);
  return parseCsv<Record<string, string>>(await res.text(), { columns: true });
}

let photo = 0;
async function withPhotos(productId: string, count = 1) {
  for (let i = 0; i < count; i++) {
    await prisma.productImage.create({
      data: { productId, storageKey: `feedtest${Date.now()}${photo++}`, mimeType: "image/webp", width: 800, height: 600, position: i },
    });
  }
}

/** A listed product with two photos and a lot of 100 units, of a new approved producer with a fee table. */
async function sellingProduct(gtin: string | null = null) {
  const { producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
  const { product, batch } = await createProductWithBatch(producer.id);
  if (gtin) await prisma.product.update({ where: { id: product.id }, data: { gtin } });
  await withPhotos(product.id, 2);
  await prisma.deliverySettings.create({ data: { producerId: producer.id, flatFeeVnd: 5000, freeAboveVnd: 500_000 } });
  await prisma.deliveryZone.createMany({
    data: [
      { producerId: producer.id, name: "Gần", provinceCodes: ["19"], feeVnd: 15000, minDays: 1, maxDays: 2, position: 0 },
      { producerId: producer.id, name: "Xa", provinceCodes: [], coversRest: true, feeVnd: 35000, minDays: 3, maxDays: 5, position: 1 },
    ],
  });
  return { producer, product, batch };
}

const uniqueGtin = () => {
  const body = `893${String(Date.now()).slice(-6)}${String(Math.floor(Math.random() * 1000)).padStart(3, "0")}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return `0${body}${(10 - (sum % 10)) % 10}`;
};

describe("merchant feeds", () => {
  it("lists a sellable product in both feeds with every required field, a valid GTIN, VND prices and the producer's fee table", async () => {
    const gtin = uniqueGtin();
    const { product } = await sellingProduct(gtin);
    const { product: noGtin } = await sellingProduct();
    await runFeedJob();
    const items = await googleItems();
    const mine = items.find((i) => i["g:id"] === product.id)!;
    expect(mine).toBeDefined();
    for (const item of items) {
      for (const field of [
        "g:id",
        "g:title",
        "g:description",
        "g:link",
        "g:image_link",
        "g:availability",
        "g:price",
        "g:brand",
        "g:condition",
      ]) {
        expect(String(item[field] ?? ""), `${item["g:id"]} ${field}`).not.toBe("");
      }
      expect(String(item["g:price"])).toMatch(/^\d+ VND$/);
      expect(["in_stock", "out_of_stock", "preorder"]).toContain(item["g:availability"]);
      if (item["g:gtin"] !== undefined) expect(isValidGtin(String(item["g:gtin"]).padStart(14, "0"))).toBe(true);
      else expect(item["g:identifier_exists"]).toBe("no");
    }
    expect(mine["g:price"]).toBe("100000 VND");
    expect(mine["g:availability"]).toBe("in_stock");
    expect(mine["g:brand"]).toBe("HTX Chè Tân Cương");
    expect(String(mine["g:gtin"]).padStart(14, "0")).toBe(gtin);
    expect(mine["g:additional_image_link"]).toHaveLength(1);
    expect(mine["g:custom_label_0"]).toBeUndefined(); // no verified certificate, no stars
    const shipping = mine["g:shipping"]!;
    // Merchant Center has no regions for Vietnam: one line for the country at the highest fee.
    expect(shipping).toEqual([expect.objectContaining({ "g:country": "VN", "g:price": "40000 VND" })]);
    expect(shipping[0]!["g:region"]).toBeUndefined();
    expect(items.find((i) => i["g:id"] === noGtin.id)!["g:identifier_exists"]).toBe("no");

    const rows = await metaRows();
    const row = rows.find((r) => r.id === product.id)!;
    expect(row).toMatchObject({
      title: "Chè búp",
      availability: "in stock",
      condition: "new",
      price: "100000 VND",
      brand: "HTX Chè Tân Cương",
      gtin,
    });
    expect(row.link).toMatch(new RegExp(`/products/${product.id}$`));
    expect(row.image_link).toMatch(/\/media\/.+-1024\.webp$/);
    expect(rows.map((r) => r.id).sort()).toEqual(items.map((i) => i["g:id"]).sort());
  });

  it("drops a held product from the next feed once the job has run, not before (requests never rebuild)", async () => {
    const { product, batch } = await sellingProduct();
    await runFeedJob();
    expect((await googleItems()).some((i) => i["g:id"] === product.id)).toBe(true);
    await prisma.batch.update({ where: { id: batch.id }, data: { status: "ON_HOLD", holdReason: "Chờ kiểm nghiệm" } });
    expect((await googleItems()).some((i) => i["g:id"] === product.id)).toBe(true);
    await runFeedJob();
    expect((await googleItems()).some((i) => i["g:id"] === product.id)).toBe(false);
    expect((await metaRows()).some((r) => r.id === product.id)).toBe(false);
  });

  it("never lists an unapproved producer's product, nor an unlisted one, and has no feed for that producer", async () => {
    const { producer: pending } = await createProducer("PENDING");
    const { product: pendingProduct } = await createProductWithBatch(pending.id);
    await withPhotos(pendingProduct.id);
    const { product: unlisted } = await sellingProduct();
    await prisma.product.update({ where: { id: unlisted.id }, data: { listingStatus: "UNLISTED" } });
    await runFeedJob();
    const ids = (await googleItems()).map((i) => i["g:id"]);
    expect(ids).not.toContain(pendingProduct.id);
    expect(ids).not.toContain(unlisted.id);
    const res = await feedResponse(fromNewClient(`/producers/${pending.id}/feeds/google.xml`), "google", pending.id).catch(
      (r: Response) => r,
    );
    expect(res.status).toBe(404);
  });

  it("gives a producer's feed only that producer's items", async () => {
    const a = await sellingProduct();
    const b = await sellingProduct();
    await runFeedJob();
    expect((await googleItems(a.producer.id)).map((i) => i["g:id"])).toEqual([a.product.id]);
    expect((await metaRows(b.producer.id)).map((r) => r.id)).toEqual([b.product.id]);
  });

  it("answers 304 to If-None-Match and If-Modified-Since, 200 after the feed changed", async () => {
    await sellingProduct();
    await runFeedJob();
    const first = await feedResponse(fromNewClient("/feeds/google.xml"), "google");
    const etag = first.headers.get("ETag")!;
    const lastModified = first.headers.get("Last-Modified")!;
    expect(etag).toMatch(/^".+"$/);
    await first.body?.cancel();
    expect((await feedResponse(fromNewClient("/feeds/google.xml", { "If-None-Match": etag }), "google")).status).toBe(304);
    expect((await feedResponse(fromNewClient("/feeds/google.xml", { "If-Modified-Since": lastModified }), "google")).status).toBe(304);
    const { product } = await sellingProduct();
    await prisma.product.update({ where: { id: product.id }, data: { priceVnd: 120000 } });
    await runFeedJob();
    const after = await feedResponse(fromNewClient("/feeds/google.xml", { "If-None-Match": etag }), "google");
    expect(after.status).toBe(200);
    expect(after.headers.get("ETag")).not.toBe(etag);
    expect(await after.text()).toContain("<g:price>120000 VND</g:price>");
  });

  it("offers no way to write: the feed routes have a loader only", () => {
    expect("action" in siteGoogleRoute).toBe(false);
    expect("action" in producerMetaRoute).toBe(false);
  });

  it("limits feed requests per client address", async () => {
    await runFeedJob();
    const ip = { "x-ocop-client-ip": "10.99.1.1" };
    for (let i = 0; i < allowance("feedPerClient"); i++) {
      const res = await feedResponse(new Request("http://localhost/feeds/meta.csv", { headers: ip }), "meta");
      expect(res.status).not.toBe(429);
      await res.body?.cancel();
    }
    const refused = await feedResponse(new Request("http://localhost/feeds/meta.csv", { headers: ip }), "meta");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});

describe("Google feed item", () => {
  const item: FeedItem = {
    id: "p1",
    producerId: "x",
    title: 'Mắm <tôm> & "ruốc"',
    description: "Ngon",
    link: "https://a.vn/products/p1",
    imageLink: "https://a.vn/media/k-1024.webp",
    additionalImageLinks: [],
    availability: "in_stock",
    priceVnd: 120000,
    brand: "HTX",
    gtin: null,
    stars: 4,
    shipping: [],
  };
  it("escapes text and labels verified stars", () => {
    const parsed = xml.parse(`<rss xmlns:g="http://base.google.com/ns/1.0"><channel>${googleFeedItem(item)}</channel></rss>`) as {
      rss: { channel: { item: GItem[] } };
    };
    const got = parsed.rss.channel.item[0]!;
    expect(got["g:title"]).toBe('Mắm <tôm> & "ruốc"');
    expect(got["g:custom_label_0"]).toBe("OCOP 4 sao");
    expect(got["g:price"]).toBe("120000 VND");
    expect(got["g:identifier_exists"]).toBe("no");
  });
});
