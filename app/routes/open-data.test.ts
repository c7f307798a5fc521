// The open-data catalog and API: data.json against DCAT-US 3.0's own JSON schema, the
// DCAT-AP catalog expanded by jsonld.js, cursor lists walked while rows are added, and the
// answers searched for the personal data the database holds.
import fs from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import jsonld from "jsonld";
import { prisma } from "~/db.server";
import { openApiDocument } from "~/domain/api/openapi";
import { DATASET_IDS, DATASETS, type DatasetId } from "~/domain/open-data/datasets";
import { forgetDatasetDates } from "~/domain/open-data/catalog-facts.server";
import { forgetScanStatistics } from "~/domain/open-data/api-rows.server";
import { encodeCursor } from "~/domain/open-data/cursor";
import { OpenDataPage } from "~/components/open-data-page";
import { buildSnapshot, snapshotStorageKey } from "~/domain/open-data/snapshots.server";
import { readFile } from "~/domain/files/storage.server";
import { validateCsv } from "../../test/table-schema";
import { LocaleProvider } from "~/i18n/use-t";
import { args, createProducer, createProductWithBatch, createUser, get } from "../../test/helpers";
import * as dataJson from "./data[.]json";
import * as jsonLdRoute from "./du-lieu-mo.catalog[.]jsonld";
import * as listRoute from "./api.v1.open-data.$dataset";
import * as pageRoute from "./du-lieu-mo._index";

const LICENSE = "https://creativecommons.org/licenses/by/4.0/";
const BASE = "https://ocop.example.vn"; // APP_URL in test/setup-env.ts

// --- DCAT-US 3.0 schema, bundled as its maintainers' validator does (fixtures README) ---
const fixtures = path.resolve(__dirname, "../../test/fixtures/dcat-us");
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
/** Drops the per-property "$id"s (RDF IRIs, not schema ids) so "#/definitions/…" resolves at the root. */
function withoutPropertyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutPropertyIds);
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== "$id" && k !== "$schema")
        .map(([k, v]) => [k, withoutPropertyIds(v)]),
    );
  }
  return node;
}
function dcatUsValidator() {
  const definitions: Record<string, unknown> = {};
  for (const file of fs.readdirSync(path.join(fixtures, "definitions"))) {
    definitions[file.replace(/\.json$/, "")] = withoutPropertyIds(readJson(path.join(fixtures, "definitions", file)));
  }
  const root = readJson(path.join(fixtures, "dcat_us_3.0.0_schema.json"));
  const referenced = new Set(
    [...fs.readFileSync(path.join(fixtures, "definitions", "Dataset.json"), "utf8").matchAll(/#\/definitions\/(\w+)/g)].map((m) => m[1]!),
  );
  for (const file of fs.readdirSync(path.join(fixtures, "definitions"))) {
    for (const m of fs.readFileSync(path.join(fixtures, "definitions", file), "utf8").matchAll(/#\/definitions\/(\w+)/g))
      referenced.add(m[1]!);
  }
  for (const name of referenced) definitions[name] ??= { type: "object" };
  expect(Object.keys(root.definitions as object)).toContain("Catalog");
  const schema = { $schema: "http://json-schema.org/draft-07/schema#", ...(definitions.Catalog as object), definitions };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("iri", (v: string) => URL.canParse(v));
  return ajv.compile(schema);
}

// --- OpenAPI contract, as api.test.ts does ---
const doc = openApiDocument(BASE);
const ajv2020 = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv2020);
ajv2020.addSchema({ $id: "https://ocop-trace.vn/openapi", components: doc.components });
function conformsToOpenApi(dataset: DatasetId, body: unknown) {
  const ref = (
    doc.paths[`/api/v1/open-data/${dataset}` as keyof typeof doc.paths] as {
      get: { responses: { 200: { content: Record<string, { schema: { $ref: string } }> } } };
    }
  ).get.responses[200].content["application/json"]!.schema.$ref;
  const validate = ajv2020.getSchema(`https://ocop-trace.vn/openapi${ref}`)!;
  return validate(body) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

const from = (ip: string, url: string) => {
  const r = get(url);
  r.headers.set("x-ocop-client-ip", ip);
  return r;
};
let ipSeq = 0;
const freshIp = () => `198.51.100.${++ipSeq}`;
async function json(res: unknown) {
  const r = res as Response;
  return { status: r.status, headers: r.headers, text: await r.clone().text(), body: (await r.json()) as Record<string, unknown> };
}
const list = async (dataset: string, query = "", ip = freshIp()) =>
  json(await listRoute.loader(args(from(ip, `/api/v1/open-data/${dataset}${query}`), { dataset })));

/** A JSON value as the CSV file writes it (null → empty; objects are compared parsed). */
const asCsvCell = (v: unknown) => (v === null ? "" : typeof v === "object" || typeof v === "string" ? v : JSON.stringify(v));

/** Every row of a dataset through its `next` links. */
async function walk(dataset: DatasetId, limit: number, between?: (page: number) => Promise<void>) {
  const rows: Record<string, unknown>[] = [];
  let url: string | null = `${BASE}/api/v1/open-data/${dataset}?limit=${limit}`;
  for (let page = 0; url; page++) {
    const u: URL = new URL(url);
    const r = await list(dataset, u.search);
    expect(r.status).toBe(200);
    expect(conformsToOpenApi(dataset, r.body)).toEqual([]);
    rows.push(...(r.body.items as Record<string, unknown>[]));
    url = r.body.next as string | null;
    if (between) await between(page);
  }
  return rows;
}

describe("open-data catalog", () => {
  it("data.json validates against the DCAT-US 3.0 JSON schema; every dataset has vi+en titles, licence, publisher, distributions", async () => {
    const { producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
    await createProductWithBatch(producer.id, "CHE-1");
    forgetDatasetDates();
    const r = await json(await dataJson.loader(args(from(freshIp(), "/data.json"))));
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
    const validate = dcatUsValidator();
    const ok = validate(r.body);
    expect(ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
    // The validator can fail: a dataset without a publisher is refused.
    const broken = structuredClone(r.body) as { dataset: Record<string, unknown>[] };
    delete broken.dataset[0]!.publisher;
    expect(validate(broken)).toBe(false);

    const datasets = r.body.dataset as Record<string, unknown>[];
    expect(datasets.map((d) => (d.identifier as string[])[0])).toEqual(DATASET_IDS.map((id) => `${BASE}/du-lieu-mo/${id}`));
    for (const [i, d] of datasets.entries()) {
      const id = DATASET_IDS[i]!;
      expect(d.titleMap).toEqual({ vi: DATASETS[id].title.vi, en: DATASETS[id].title.en });
      expect(d.descriptionMap).toEqual(DATASETS[id].description);
      expect(d.publisher).toMatchObject({ name: "ocop-trace" });
      expect(d.accessLevel).toBe("public");
      const dist = d.distribution as Record<string, unknown>[];
      expect(dist.map((x) => x.downloadURL ?? x.accessURL)).toEqual([
        `${BASE}/du-lieu-mo/${id}/latest.csv.gz`,
        `${BASE}/api/v1/open-data/${id}`,
      ]);
      for (const x of dist) expect(x.license).toBe(LICENSE);
      expect(d.describedBy).toMatchObject({ downloadURL: `${BASE}/du-lieu-mo/datapackage.json` });
    }
    // Temporal coverage from the data: the lot's production day.
    expect(datasets[2]!.temporal).toEqual([{ "@type": "PeriodOfTime", startDate: "2026-10-01", endDate: "2026-10-01" }]);
  });

  it("the DCAT-AP catalog expands with jsonld.js (no network) and has the required DCAT-AP properties in vi and en", async () => {
    const r = await json(await jsonLdRoute.loader(args(from(freshIp(), "/du-lieu-mo/catalog.jsonld"))));
    expect(r.headers.get("Content-Type")).toMatch(/^application\/ld\+json/);
    const fetched: string[] = [];
    const expanded = await jsonld.expand(r.body, {
      safe: true, // an unmapped term or a bad IRI is an error, not silently dropped
      documentLoader: (url) => {
        fetched.push(url);
        return Promise.reject(new Error(`no network: ${url}`));
      },
    });
    expect(fetched).toEqual([]);
    const DCAT = "http://www.w3.org/ns/dcat#";
    const DCT = "http://purl.org/dc/terms/";
    type Node = Record<string, { "@value"?: string; "@language"?: string; "@id"?: string }[] | string[] | undefined>;
    const catalog = expanded[0] as Node;
    expect(catalog["@type"]).toEqual([`${DCAT}Catalog`]);
    const langs = (n: Node, p: string) => (n[p] as { "@language": string }[]).map((v) => v["@language"]).sort();
    expect(langs(catalog, `${DCT}title`)).toEqual(["en", "vi"]);
    expect(langs(catalog, `${DCT}description`)).toEqual(["en", "vi"]);
    expect(catalog[`${DCT}publisher`]).toHaveLength(1);
    const datasets = catalog[`${DCAT}dataset`] as unknown as Node[];
    expect(datasets).toHaveLength(DATASET_IDS.length);
    for (const d of datasets) {
      expect(d["@type"]).toEqual([`${DCAT}Dataset`]);
      expect(langs(d, `${DCT}title`)).toEqual(["en", "vi"]);
      expect(langs(d, `${DCT}description`)).toEqual(["en", "vi"]);
      expect(d[`${DCT}publisher`]).toHaveLength(1);
      const dists = d[`${DCAT}distribution`] as unknown as Node[];
      expect(dists).toHaveLength(2);
      for (const x of dists) {
        expect((x[`${DCAT}accessURL`] as { "@id": string }[])[0]!["@id"]).toMatch(/^https:\/\//);
        expect((x[`${DCT}license`] as { "@id": string }[])[0]!["@id"]).toBe(LICENSE);
      }
    }
  });

  it("links no download before the first night's files exist, and says when they come", async () => {
    const before = await pageRoute.loader();
    expect(before.latestDay).toBeNull();
    const html = renderToString(createElement(LocaleProvider, { value: "vi" }, createElement(OpenDataPage, before)));
    expect(html).not.toContain("latest.csv.gz");
    expect(html).not.toContain('href="/du-lieu-mo/datapackage.json"');
    expect(html).toContain("02:10 đêm nay");
  });

  it("the page lists every dataset with its download and API links, in Vietnamese and in English", async () => {
    const { day } = await buildSnapshot();
    const data = await pageRoute.loader();
    expect(data.latestDay).toBe(day);
    const render = (locale: "vi" | "en") =>
      renderToString(createElement(LocaleProvider, { value: locale }, createElement(OpenDataPage, data)));
    const vi = render("vi");
    const en = render("en");
    for (const id of DATASET_IDS) {
      for (const html of [vi, en]) {
        expect(html).toContain(`href="/du-lieu-mo/${id}/latest.csv.gz"`);
        expect(html).toContain(`href="/api/v1/open-data/${id}"`);
      }
      expect(vi).toContain(DATASETS[id].title.vi);
      expect(en).toContain(DATASETS[id].title.en);
    }
    expect(vi).toContain("Giấy phép và cách trích dẫn");
    expect(en).toContain("Licence and how to cite");
    for (const html of [vi, en]) {
      expect(html).toContain(`href="${LICENSE}"`);
      for (const link of ["/data.json", "/du-lieu-mo/catalog.jsonld", "/du-lieu-mo/datapackage.json", "/api/v1/openapi.json"]) {
        expect(html).toContain(`href="${link}"`);
      }
      expect(html).not.toContain("<script");
    }
  });

  it("catalogs are rate limited per client address", async () => {
    const ip = "203.0.113.77";
    let last = 0;
    for (let i = 0; i < 61; i++) last = (await dataJson.loader(args(from(ip, "/data.json")))).status;
    expect(last).toBe(429);
    expect((await dataJson.loader(args(from("203.0.113.78", "/data.json")))).status).toBe(200);
  });
});

describe("open-data JSON API", () => {
  it("a cursor walk sees every row once while rows are added between pages", async () => {
    const before = await Promise.all(Array.from({ length: 7 }, (_, i) => createProducer("APPROVED", `HTX Đi Trang ${i}`)));
    await createProducer("PENDING", "HTX Chưa Duyệt");
    const existing = (await prisma.producer.findMany({ where: { status: "APPROVED" }, select: { id: true } })).map((p) => p.id);
    const rows = await walk("producers", 3, async (page) => {
      if (page < 2) await createProducer("APPROVED", `HTX Thêm Giữa Chừng ${page}`);
    });
    const ids = rows.map((r) => r.id as string);
    expect(new Set(ids).size).toBe(ids.length); // no duplicates
    for (const id of existing) expect(ids).toContain(id); // no gaps
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain(before[0]!.producer.id);
    expect(rows.some((r) => r.name === "HTX Chưa Duyệt")).toBe(false);
  });

  it("the scan statistics (a whole-table aggregate) are computed once per 10 minutes and paged from memory", async () => {
    forgetScanStatistics();
    const { user, producer } = await createProducer("APPROVED", "HTX Đếm Quét");
    const { batch } = await createProductWithBatch(producer.id, "DQ-1");
    const code = await prisma.traceCode.create({
      data: { code: "DEMQUETCODE23456", batchId: batch.id, kind: "BATCH", issuedById: user.id },
    });
    const lastWeek = new Date(Date.now() - 7 * 24 * 3_600_000);
    await prisma.scan.create({ data: { codeId: code.id, scannedAt: lastWeek, repeats: 6 } });
    const first = await walk("scan-statistics", 2);
    await prisma.scan.create({ data: { codeId: code.id, scannedAt: lastWeek, repeats: 50 } });
    expect(await walk("scan-statistics", 2)).toEqual(first); // kept: the database is not read again
    forgetScanStatistics();
    expect(await walk("scan-statistics", 2)).not.toEqual(first);
    await prisma.scan.deleteMany({ where: { codeId: code.id } }); // the other tests count scans of their own
    forgetScanStatistics();
  });

  it("a bad cursor or limit is a 400; an unknown dataset a 404", async () => {
    for (const q of [
      "?cursor=abc!",
      "?cursor=bm90LWpzb24",
      `?cursor=${encodeCursor("lots", { id: "c1" })}`,
      "?limit=0",
      "?limit=501",
      "?limit=x",
      "?other=1",
    ]) {
      const r = await list("producers", q);
      expect([q, r.status]).toEqual([q, 400]);
      expect(typeof r.body.error).toBe("string");
    }
    // A cursor of the right dataset with the other dataset kind's key (found by curl: it was a 500).
    for (const [dataset, key] of [
      ["scan-statistics", { id: "x" }],
      ["lots", { day: "2026-01-01", province: "01" }],
    ] as const) {
      const r = await list(dataset, `?cursor=${encodeCursor(dataset, key)}`);
      expect([dataset, r.status]).toEqual([dataset, 400]);
    }
    expect((await list("users")).status).toBe(404);
    const ok = await list("producers", `?cursor=${encodeCursor("producers", { id: "c" })}&limit=500`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("no personal data in any dataset: phones, e-mails, names of people, serials, client keys; small scan counts suppressed", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Bí Mật");
    await prisma.user.update({ where: { id: user.id }, data: { email: "chu.ho@example.vn" } });
    await prisma.producer.update({
      where: { id: producer.id },
      data: {
        contactPhone: "0911222333",
        consentPhone: "0944555666",
        consentHolderName: "Bà Lò Thị Đồng Ý",
        bankAccountNumber: "190333444555",
      },
    });
    const { product, batch } = await createProductWithBatch(producer.id, "BM-1");
    const recorder = await createUser(["PRODUCER"], "Anh Người Ghi Riêng");
    await prisma.traceEvent.create({
      data: {
        batchId: batch.id,
        kind: "HARVESTING",
        occurredAt: new Date("2026-10-02"),
        actorName: "Chị Hái Chè Riêng",
        recordedById: recorder.id,
        clientKey: "b9b3a5b2-1c1e-4c55-9a8e-7b7d5e0c0a11",
      },
    });
    // A shipping event's counterparty may be a person (a trader at a market), and the event's
    // data may hold more than its form's fields: neither is published in bulk.
    await prisma.traceEvent.create({
      data: {
        batchId: batch.id,
        kind: "SHIPPING",
        occurredAt: new Date("2026-10-03"),
        data: JSON.stringify({ recipient: "Chị Nhận Hàng Riêng", quantity: 5, note: "gọi 0912345678" }),
        recordedById: recorder.id,
      },
    });
    const inspector = await createUser(["INSPECTOR"], "Ông Thanh Tra Riêng");
    await prisma.inspection.create({ data: { batchId: batch.id, inspectorId: inspector.id, result: "PASS", notes: "Gọi 0977888999" } });
    await prisma.recall.create({
      data: { batchId: batch.id, reason: "Nấm mốc", severity: 2, instructions: "Đem trả nơi mua", createdById: inspector.id },
    });
    const unit = await prisma.traceCode.create({
      data: { code: "UNITSERIALCODE2345", batchId: batch.id, kind: "UNIT", serial: "SERI-000777", issuedById: user.id },
    });
    const yesterday = new Date(Date.now() - 24 * 3_600_000);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    await prisma.scan.createMany({
      data: [
        {
          codeId: unit.id,
          scannedAt: yesterday,
          clientKey: "khoa-may-khach-1",
          networkKey: "khoa-mang-1",
          repeats: 4,
          latitude: 21.59,
          longitude: 105.85,
        },
        { codeId: unit.id, scannedAt: yesterday, clientKey: "khoa-may-khach-2", networkKey: "khoa-mang-2", repeats: 3 },
        { codeId: unit.id, scannedAt: twoDaysAgo, clientKey: "khoa-may-khach-3", repeats: 2 },
      ],
    });

    forgetScanStatistics(); // scans were just added
    const answers: string[] = [];
    for (const id of DATASET_IDS) answers.push(JSON.stringify(await walk(id, 50)));
    const all = answers.join("\n");
    expect(all).toContain(product.id); // the rows are there…
    expect(all).toContain("Nấm mốc");
    for (const secret of [
      user.phone!,
      recorder.phone!,
      inspector.phone!,
      "0911222333",
      "0944555666",
      "0977888999",
      "chu.ho@example.vn",
      "Bà Lò Thị Đồng Ý",
      "190333444555",
      "Anh Người Ghi Riêng",
      "Chị Hái Chè Riêng",
      "Ông Thanh Tra Riêng",
      "Chị Nhận Hàng Riêng",
      "SERI-000777",
      "UNITSERIALCODE2345",
      "b9b3a5b2-1c1e-4c55-9a8e-7b7d5e0c0a11",
      "khoa-may-khach",
      "khoa-mang",
      "21.59",
      user.id,
      inspector.id,
    ]) {
      expect([secret, all.includes(secret)]).toEqual([secret, false]);
    }
    expect(all).not.toMatch(/@[a-z0-9-]+\.[a-z]{2,}/i); // no e-mail address at all
    expect(all).not.toMatch(/\b0\d{9}\b/); // no Vietnamese phone number at all

    const events = JSON.parse(answers[DATASET_IDS.indexOf("trace-events")]!) as { kind: string; kdes: Record<string, unknown> }[];
    expect(events.find((e) => e.kind === "SHIPPING")?.kdes).toEqual({ quantity: 5 });
    const stats = JSON.parse(answers[DATASET_IDS.indexOf("scan-statistics")]!) as Record<string, unknown>[];
    const dayOf = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    expect(stats).toEqual([
      { day: dayOf(twoDaysAgo), province_code: "19", scans: null, suppressed: true }, // 2 < 5: the count is withheld
      { day: dayOf(yesterday), province_code: "19", scans: 7, suppressed: false },
    ]);
  });

  it("the API's rows are the day's snapshot rows: one column list, one scope, the same values", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Cùng Cột");
    const { batch } = await createProductWithBatch(producer.id, "CC-1");
    await prisma.traceEvent.create({
      data: {
        batchId: batch.id,
        kind: "PACKING",
        occurredAt: new Date("2026-10-04"),
        data: JSON.stringify({ quantity: 40, packageType: "Hũ" }),
        recordedById: user.id,
      },
    });
    const { product: offSale } = await createProductWithBatch(producer.id, "CC-2");
    await prisma.product.update({ where: { id: offSale.id }, data: { listingStatus: "UNLISTED" } });
    const { product: draft } = await createProductWithBatch(producer.id, "CC-3");
    await prisma.product.update({ where: { id: draft.id }, data: { listingStatus: "DRAFT" } });
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    await prisma.storedFile.deleteMany({ where: { key: { startsWith: `open-data/${day}/` } } });
    const built = await buildSnapshot(day);
    expect(built.built).toBe(true);
    forgetScanStatistics(); // read as of the snapshot
    for (const id of DATASET_IDS) {
      const resource = built.package!.resources.find((r) => r.name === id)!;
      const file = await readFile(snapshotStorageKey(day, id));
      const { errors, rows: csvRows } = validateCsv(gunzipSync(file!.bytes).toString("utf8"), resource.schema);
      expect(errors).toEqual([]);
      const jsonColumns = new Set(resource.schema.fields.filter((f) => f.format === "json").map((f) => f.name));
      const fileRows = csvRows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonColumns.has(k) ? (JSON.parse(v) as unknown) : v])),
      );
      const apiRows = (await walk(id, 100)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asCsvCell(v)])));
      expect([id, apiRows]).toEqual([id, fileRows]);
    }
    const lots = await walk("lots", 100);
    expect(lots.some((l) => l.lot_code === "CC-1")).toBe(true);
    expect(lots.some((l) => l.lot_code === "CC-2")).toBe(true); // taken off sale: a recall of it still matters
    expect(lots.some((l) => l.lot_code === "CC-3")).toBe(false); // a draft was never public
    const products = await walk("products", 100);
    expect(products.find((p) => p.id === offSale.id)?.listed).toBe(false);
    expect(products.some((p) => p.id === draft.id)).toBe(false);
  });

  it("the OpenAPI document lists every dataset's path with its row schema", () => {
    for (const id of DATASET_IDS) {
      const p = doc.paths[`/api/v1/open-data/${id}` as keyof typeof doc.paths] as { get: { parameters: { name: string }[] } } | undefined;
      expect([id, p?.get.parameters.map((x) => x.name)]).toEqual([id, ["cursor", "limit"]]);
    }
  });
});
