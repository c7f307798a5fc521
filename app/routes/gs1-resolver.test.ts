import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { prisma } from "~/db.server";
import { gtinCheckDigit } from "~/domain/catalog/gtin";
import { issueBatchCode } from "~/domain/trace/code.server";
import { activateUnitCodes, issueUnitCodes } from "~/domain/trace/unit-codes.server";
import { findGs1Unit } from "~/domain/trace/gs1.server";
import { allowance } from "~/domain/security/rate-limits.server";
import { args, createProducer, createProductWithBatch, get } from "../../test/helpers";
import * as lotRoute from "./01.$gtin.10.$lot._index";
import * as unitRoute from "./01.$gtin.10.$lot.21.$serial";
import * as description from "./[.well-known].gs1resolver";
import { directPageFor } from "../../server/direct-pages";
import { serverServices } from "~/server-services.server";

const schema = (name: string): object => JSON.parse(readFileSync(`test/fixtures/gs1/${name}`, "utf8")) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validGs1Linkset = ajv.compile(schema("gs1-linkset-schema.json"));
const validRfcLinkset = ajv.compile(schema("linkset-schema.json"));
const validDescription = ajv.compile(schema("description-file-schema.json"));

let seq = 0;
function nextGtin(): string {
  const body = `0893${String(200000000 + ++seq + Math.floor(Math.random() * 1e6) * 100).slice(-9)}`;
  return `${body}${gtinCheckDigit(body)}`;
}

async function lotWithUnits(lot = "GS1-L") {
  const { user, producer } = await createProducer("APPROVED");
  const { product, batch } = await createProductWithBatch(producer.id, lot);
  const gtin = nextGtin();
  await prisma.product.update({ where: { id: product.id }, data: { gtin } });
  await issueBatchCode(batch.id, user.id);
  await issueUnitCodes(batch.id, user.id, 2);
  await activateUnitCodes(batch.id, user.id);
  const units = await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, select: { id: true, serial: true } });
  return { user, product, batch, gtin, units };
}

const ip = () => `198.51.100.${1 + (++seq % 200)}`;
function req(path: string, headers: Record<string, string> = {}) {
  const r = get(path);
  r.headers.set("x-ocop-client-ip", ip());
  for (const [k, v] of Object.entries(headers)) r.headers.set(k, v);
  return r;
}
const lot = (path: string, params: Record<string, string>, headers?: Record<string, string>) =>
  lotRoute.loader(args(req(path, headers), params));
const unit = (path: string, params: Record<string, string>, headers?: Record<string, string>) =>
  unitRoute.loader(args(req(path, headers), params));

/** /01/{gtin} as the server answers it: the resolver before Remix, null for a page view. */
async function productLevel(path: string, headers?: Record<string, string>, from?: string) {
  const found = directPageFor(serverServices.directPages, "GET", new URL(`http://localhost${path}`).pathname);
  if (!found) throw new Error(`no direct page for ${path}`);
  const r = req(path, headers);
  if (from) r.headers.set("x-ocop-client-ip", from);
  return found.page.answer(r, found.param);
}
type Linkset = { linkset: Record<string, unknown>[] };
const rels = (ctx: Record<string, unknown>) =>
  Object.keys(ctx)
    .filter((k) => k.startsWith("https://gs1.org/voc/"))
    .map((k) => k.slice(20));

describe("the GS1 resolver", () => {
  it("answers linkType=linkset and Accept: application/linkset+json with a linkset valid against GS1's and RFC 9264's schemas", async () => {
    const { gtin, batch, product } = await lotWithUnits();
    const path = `/01/${gtin}/10/GS1-L`;
    for (const res of [
      await lot(`${path}?linkType=linkset`, { gtin, lot: "GS1-L" }),
      await lot(`${path}?linkType=all`, { gtin, lot: "GS1-L" }),
      await lot(path, { gtin, lot: "GS1-L" }, { Accept: "application/linkset+json" }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/linkset+json");
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(res.headers.get("Link")).toContain('rel="linkset"');
      const body = (await res.json()) as { linkset: Record<string, unknown>[] };
      expect(validGs1Linkset(body), JSON.stringify(validGs1Linkset.errors)).toBe(true);
      // The plain RFC 9264 schema knows no itemDescription (GS1's addition, which GS1's schema requires).
      const plain = { linkset: body.linkset.map(({ itemDescription: _, ...rest }) => rest) };
      expect(validRfcLinkset(plain), JSON.stringify(validRfcLinkset.errors)).toBe(true);
      const ctx = body.linkset[0]!;
      expect(ctx.anchor).toMatch(new RegExp(`^https?://[^/]+${path}$`));
      const href = (rel: string) =>
        (ctx[`https://gs1.org/voc/${rel}`] as { href: string }[] | undefined)?.map((l) => new URL(l.href).pathname);
      expect(href("defaultLink")).toEqual([path]);
      expect(href("traceability")).toEqual([path]);
      expect(href("epcis")).toEqual([`/api/v1/batches/${batch.id}/epcis`]);
      expect(href("recallStatus")).toEqual([path]);
      expect(href("pip")).toEqual([`/products/${product.id}`]);
      expect(href("certificationInfo")).toBeUndefined(); // no verified certificate
    }
  });

  it("redirects (307) to the asked link, passing on the other query pairs; an unknown linkType gets the default link", async () => {
    const { gtin, batch, product } = await lotWithUnits();
    const p = { gtin, lot: "GS1-L" };
    const epcis = await lot(`/01/${gtin}/10/GS1-L?linkType=gs1:epcis&17=271231`, p);
    expect(epcis.status).toBe(307);
    const to = new URL(epcis.headers.get("Location")!);
    expect(to.pathname).toBe(`/api/v1/batches/${batch.id}/epcis`);
    expect(to.search).toBe("?17=271231");
    const pip = await lot(`/01/${gtin}/10/GS1-L?linkType=${encodeURIComponent("https://gs1.org/voc/pip")}`, p);
    expect(new URL(pip.headers.get("Location")!).pathname).toBe(`/products/${product.id}`);
    const unknown = await lot(`/01/${gtin}/10/GS1-L?linkType=gs1:nutritionalInfo`, p);
    expect(unknown.status).toBe(307);
    expect(new URL(unknown.headers.get("Location")!).pathname).toBe(`/01/${gtin}/10/GS1-L`);
  });

  it("names the recall in recallStatus once the lot is recalled", async () => {
    const { gtin, batch } = await lotWithUnits();
    const before = await lot(`/01/${gtin}/10/GS1-L?linkType=linkset`, { gtin, lot: "GS1-L" });
    const was = ((await before.json()) as { linkset: Record<string, { title: string }[]>[] }).linkset[0]!;
    expect(was["https://gs1.org/voc/recallStatus"]![0]!.title).not.toContain("đang bị thu hồi");
    await prisma.batch.update({ where: { id: batch.id }, data: { status: "RECALLED" } });
    const res = await lot(`/01/${gtin}/10/GS1-L?linkType=linkset`, { gtin, lot: "GS1-L" });
    const ctx = ((await res.json()) as { linkset: Record<string, { title: string }[]>[] }).linkset[0]!;
    expect(ctx["https://gs1.org/voc/recallStatus"]![0]!.title).toContain("đang bị thu hồi");
  });

  it("walks an unknown lot, or an unknown serial of a real lot, up to the product; unknown GTIN 404; voided unit 410", async () => {
    const { gtin, units, product } = await lotWithUnits();
    const noLot = await lot(`/01/${gtin}/10/NOPE?linkType=linkset`, { gtin, lot: "NOPE" });
    expect(noLot.status).toBe(200);
    const ctx = ((await noLot.json()) as { linkset: Record<string, unknown>[] }).linkset[0]!;
    expect(new URL(ctx.anchor as string).pathname).toBe(`/01/${gtin}`);
    expect(ctx["https://gs1.org/voc/epcis"]).toBeUndefined();
    const noSerial = await unit(`/01/${gtin}/10/GS1-L/21/NOPE1?linkType=gs1:traceability`, { gtin, lot: "GS1-L", serial: "NOPE1" });
    expect(noSerial.status).toBe(307);
    // Not the lot's page: a made-up serial learns nothing about the lot.
    expect(new URL(noSerial.headers.get("Location")!).pathname).toBe(`/01/${gtin}`);
    const pip = await unit(`/01/${gtin}/10/GS1-L/21/NOPE1?linkType=gs1:pip`, { gtin, lot: "GS1-L", serial: "NOPE1" });
    expect(new URL(pip.headers.get("Location")!).pathname).toBe(`/products/${product.id}`);

    const other = nextGtin();
    expect((await lot(`/01/${other}/10/X?linkType=linkset`, { gtin: other, lot: "X" })).status).toBe(404);

    const serial = units[0]!.serial!;
    const ok = await unit(`/01/${gtin}/10/GS1-L/21/${serial}?linkType=linkset`, { gtin, lot: "GS1-L", serial });
    expect(ok.status).toBe(200);
    await prisma.traceCode.update({ where: { id: units[0]!.id }, data: { status: "VOID" } });
    expect((await unit(`/01/${gtin}/10/GS1-L/21/${serial}?linkType=linkset`, { gtin, lot: "GS1-L", serial })).status).toBe(410);
  });

  it("refuses a bad check digit, %00 and %ff in the path, and a huge linkType with 400", async () => {
    const { gtin } = await lotWithUnits();
    const bad = gtin.slice(0, 13) + String((Number(gtin[13]) + 1) % 10);
    expect((await lot(`/01/${bad}/10/GS1-L?linkType=linkset`, { gtin: bad, lot: "GS1-L" })).status).toBe(400);
    expect((await lot(`/01/${gtin}/10/A%00B?linkType=linkset`, { gtin, lot: "A\u0000B" })).status).toBe(400);
    expect((await lot(`/01/${gtin}/10/A%ffB?linkType=linkset`, { gtin, lot: "A\u00ffB" })).status).toBe(400);
    // A page view of such a path is the unknown code's 404 page (a NUL once reached PostgreSQL: a 500).
    const nulUnit = await unit(`/01/${gtin}/10/GS1-L/21/A%00`, { gtin, lot: "GS1-L", serial: "A\u0000" });
    expect(nulUnit.status).toBe(404);
    const nulLot = await lot(`/01/${gtin}/10/A%00`, { gtin, lot: "A\u0000" }).catch((e: unknown) => e as Response);
    expect(nulLot.status).not.toBe(500);
    // …and the unit's PIN and report pages look the unit up the same way.
    expect(await findGs1Unit(gtin, "GS1-L", "A\u0000")).toBeNull();
    const huge = await lot(`/01/${gtin}/10/GS1-L?linkType=gs1:${"x".repeat(5000)}`, { gtin, lot: "GS1-L" });
    expect(huge.status).toBe(400);
  });

  it("leaves a browser's request as it was: the trace page, now with a Link to the linkset", async () => {
    const { gtin } = await lotWithUnits();
    const res = await lot(`/01/${gtin}/10/GS1-L`, { gtin, lot: "GS1-L" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("Link")).toMatch(new RegExp(`/01/${gtin}/10/GS1-L\\?linkType=linkset>; rel="linkset"`));
    // An unknown lot still sends a browser to the product page with 303, as before.
    const walk = await lot(`/01/${gtin}/10/NOPE`, { gtin, lot: "NOPE" }).catch((e: unknown) => e as Response);
    expect(walk.status).toBe(303);
  });

  it("publishes /.well-known/gs1resolver valid against GS1's description file schema", async () => {
    const res = description.loader();
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await res.json()) as Record<string, unknown>;
    expect(validDescription(body), JSON.stringify(validDescription.errors)).toBe(true);
    expect(body).toMatchObject({ supportedPrimaryKeys: ["01"], linkTypeDefaultCanBeLinkset: false });
    expect(body.supportedLinkType).toEqual([{ namespace: "https://gs1.org/voc/", prefix: "gs1:" }]);
  });

  it("answers /01/{gtin}: pip while listed, certificationInfo with a verified certificate in force, 410 once the producer is suspended", async () => {
    const { gtin, product } = await lotWithUnits();
    expect(await productLevel(`/01/${gtin}`)).toBeNull(); // a page view: Remix's product page, as before
    const first = await productLevel(`/01/${gtin}?linkType=linkset`);
    expect(first?.status).toBe(200);
    const body = (await first!.json()) as Linkset;
    expect(validGs1Linkset(body), JSON.stringify(validGs1Linkset.errors)).toBe(true);
    expect(rels(body.linkset[0]!)).toEqual(["defaultLink", "pip"]);

    await prisma.ocopCertificate.create({
      data: {
        productId: product.id,
        stars: 4,
        scoreA: 30,
        scoreB: 20,
        scoreC: 25,
        totalScore: 75,
        level: "PROVINCE",
        authority: "UBND tỉnh",
        decisionNumber: "QĐ-1",
        decisionDate: new Date("2026-01-01"),
        validUntil: new Date("2029-01-01"),
        verification: "VERIFIED",
        verifiedAt: new Date(),
      },
    });
    const cert = await productLevel(`/01/${gtin}?linkType=gs1:certificationInfo`);
    expect(cert?.status).toBe(307);
    expect(new URL(cert!.headers.get("Location")!).pathname).toBe(`/api/v1/products/${product.id}`);

    await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "UNLISTED" } });
    const unlisted = (await (await productLevel(`/01/${gtin}`, { Accept: "application/linkset+json" }))!.json()) as Linkset;
    expect(rels(unlisted.linkset[0]!)).toEqual(["defaultLink"]);

    await prisma.producer.update({ where: { id: product.producerId }, data: { status: "SUSPENDED" } });
    expect((await productLevel(`/01/${gtin}?linkType=linkset`))?.status).toBe(410);
  });

  it("counts machine answers per client (LIMITS.gs1Resolver) and answers 429 past them", async () => {
    const other = nextGtin();
    const from = "192.0.2.77";
    const statuses: number[] = [];
    for (let i = 0; i < allowance("gs1Resolver") + 1; i++)
      statuses.push((await productLevel(`/01/${other}?linkType=gs1:pip`, {}, from))!.status);
    expect(statuses.slice(0, -1).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
