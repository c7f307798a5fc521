import type { ChildProcess } from "node:child_process";
import { prisma } from "~/db.server";
import { addProducerImage } from "~/domain/catalog/producer-page.server";
import { renderImage } from "~/domain/files/uploads.server";
import { startServer } from "./server-process";
import { validateStructuredData } from "../schema-org-vocabulary";
import { addProductPhoto, createProducer, createProductWithBatch, pngFile, PHONE_UA } from "../helpers";

// The real product and producer pages, as a crawler or a Zalo/Facebook preview reads them from a
// running build: every JSON-LD block validates with no errors, and the share tags carry a photo.

let proc: ChildProcess;
let base: string;
let productId: string;
let producerId: string;

beforeAll(async () => {
  const { producer } = await createProducer("APPROVED", "HTX Mật ong Bắc Kạn");
  producerId = producer.id;
  await prisma.producer.update({ where: { id: producer.id }, data: { contactPhone: "0912345678", story: "Ba đời nuôi ong." } });
  const { product } = await createProductWithBatch(producer.id, "MO-1");
  productId = product.id;
  await prisma.product.update({ where: { id: product.id }, data: { name: 'Mật ong </script><script>alert("x")</script>' } });
  await addProductPhoto(product.id);
  const farm = await pngFile("trai.png", 800, 600);
  await addProducerImage(producer.id, await renderImage(Buffer.from(await farm.arrayBuffer())));
  ({ base, proc } = await startServer());
}, 60_000);

afterAll(() => {
  proc?.kill();
});

const page = async (path: string) => {
  const response = await fetch(`${base}${path}`, { headers: { "User-Agent": PHONE_UA } });
  expect(response.status).toBe(200);
  return response.text();
};

const metaContent = (html: string, attr: "property" | "name", key: string) =>
  new RegExp(`<meta ${attr}="${key.replace(/[:.]/g, "\\$&")}" content="([^"]*)"`).exec(html)?.[1];

describe("structured data on the real pages", () => {
  it("a product page: Product JSON-LD with no errors, a name holding </script> stays inside it, Open Graph with the photo", async () => {
    const html = await page(`/products/${productId}`);
    const { jsonld, issues } = await validateStructuredData(html);
    expect(issues.filter((i) => i.severity === "ERROR")).toEqual([]);
    expect(jsonld.Product).toHaveLength(1);
    expect((jsonld.Product![0] as { name: string }).name).toBe('Mật ong </script><script>alert("x")</script>');
    expect(html).not.toContain('<script>alert("x")');
    expect(metaContent(html, "property", "og:image")).toMatch(new RegExp(`^https?://.+/media/.+-1024\\.webp$`));
    expect(metaContent(html, "property", "og:image:width")).toBe("1024");
    expect(metaContent(html, "property", "og:image:height")).toBe("768");
    expect(metaContent(html, "property", "og:type")).toBe("product");
    expect(metaContent(html, "name", "twitter:card")).toBe("summary_large_image");
    expect(metaContent(html, "name", "description")).toBeTruthy();
    expect(html).toMatch(new RegExp(`<link rel="canonical" href="https?://[^"]+/products/${productId}"`));
  });

  it("a producer page: LocalBusiness JSON-LD with no errors, address in Vietnam, Open Graph with the farm's photo", async () => {
    const html = await page(`/producers/${producerId}`);
    const { jsonld, issues } = await validateStructuredData(html);
    expect(issues.filter((i) => i.severity === "ERROR")).toEqual([]);
    expect(jsonld.LocalBusiness).toHaveLength(1);
    expect(jsonld.LocalBusiness![0]).toMatchObject({ telephone: "0912345678", address: { addressCountry: "VN" } });
    expect(metaContent(html, "property", "og:image")).toMatch(/\/media\/.+-1024\.webp$/);
    expect(metaContent(html, "property", "og:type")).toBe("profile");
  });

  it("a reuser's page on another origin gets its preflight answered on the resolver and the open data; other addresses only say what they allow", async () => {
    for (const path of [`/01/08938500000017`, "/.well-known/gs1resolver", "/api/v1/open-data/lots", "/data.json"]) {
      const r = await fetch(`${base}${path}`, {
        method: "OPTIONS",
        headers: {
          Origin: "https://reuser.example",
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "accept-language",
        },
      });
      expect([path, r.status, r.headers.get("access-control-allow-origin")]).toEqual([path, 204, "*"]);
      expect(r.headers.get("access-control-allow-methods")).toContain("GET");
      expect(r.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("accept-language");
    }
    const own = await fetch(`${base}/checkout`, { method: "OPTIONS" });
    expect([own.status, own.headers.get("access-control-allow-origin"), own.headers.get("allow")]).toEqual([
      204,
      null,
      "GET, HEAD, POST, OPTIONS",
    ]);
  });
});
