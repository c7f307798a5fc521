// CSV exports are opened in Excel and LibreOffice by inspectors. A producer controls product
// names and event places, so a cell that starts like a formula must come out as text.
import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import * as circularCsv from "~/routes/inspector.batches.$batchId.circular[.csv]";
import * as eventsCsv from "~/routes/inspector.events[.csv]";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get } from "../../../test/helpers";

const HYPERLINK = '=HYPERLINK("http://evil","x")';
const PLACES = [HYPERLINK, "＝1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "＋1", "－1", "＠SUM(A1)"];
// Excel splits a .csv on the locale's list separator: "," on Vietnamese Windows, ";" on many
// European ones. Every piece a cell can be split into must come out inert.
const SPLIT_NAME = "x;=1+1;=cmd|' /C calc'!A0;y";
const SPLIT_PLACES = ["a, =1+1", "a;@SUM(A1)", "a;  +1", "a,\t-1+1", "a;＝1+1"];
const TRIGGER = /^\s*[=+\-@＝＋－＠]/;

/** RFC 4180 cells, as a spreadsheet reads them (quotes undone), to see each value whole. */
function cells(csv: string, separator = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) row.push(cell), (cell = "");
    else if (c === "\r" && csv[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  return rows;
}

describe("CSV exports", () => {
  let batchId: string;
  let splitBatchId: string;
  let cookie: string;

  beforeAll(async () => {
    const { user, producer } = await createProducer("APPROVED", "=cmd|' /C calc'!A0");
    const { product, batch } = await createProductWithBatch(producer.id, "CSV-1");
    await prisma.product.update({ where: { id: product.id }, data: { name: HYPERLINK } });
    for (const [i, place] of PLACES.entries()) {
      const recorded = await recordEvent({ producerId: producer.id, batchId: batch.id, userId: user.id, kind: "HARVESTING", input: { occurredAt: new Date(Date.UTC(2026, 9, 1 + i)), place, quantity: 10, unit: "kg" } });
      expect(recorded.ok).toBe(true);
    }
    batchId = batch.id;
    const split = await createProducer("APPROVED", SPLIT_NAME);
    await prisma.producer.update({ where: { id: split.producer.id }, data: { provinceCode: "20" } });
    const splitLot = await createProductWithBatch(split.producer.id, "CSV-SPLIT");
    await prisma.product.update({ where: { id: splitLot.product.id }, data: { name: SPLIT_NAME } });
    for (const [i, place] of SPLIT_PLACES.entries()) {
      const recorded = await recordEvent({ producerId: split.producer.id, batchId: splitLot.batch.id, userId: split.user.id, kind: "HARVESTING", input: { occurredAt: new Date(Date.UTC(2026, 9, 1 + i)), place, quantity: 10, unit: "kg" } });
      expect(recorded.ok).toBe(true);
    }
    splitBatchId = splitLot.batch.id;
    const inspector = await createUser(["INSPECTOR"], "Thanh tra Thái Nguyên");
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "20" } });
    cookie = await cookieFor(inspector.id);
  });

  it("the province's events: every formula-like cell is prefixed with ' so it shows as text", async () => {
    const response = (await eventsCsv.loader(args(get("/inspector/events.csv?province=19", cookie)))) as Response;
    const text = await response.text();
    const rows = cells(text.replace(/^\uFEFF/, ""));
    const header = rows[0]!;
    const body = rows.slice(1);
    expect(body).toHaveLength(PLACES.length);
    const places = body.map((r) => r[header.indexOf("place")]);
    expect(places).toEqual(PLACES.map((p) => `'${p}`));
    for (const r of body) {
      expect(r[header.indexOf("product")]).toBe(`'${HYPERLINK}`);
      expect(r[header.indexOf("producer")]).toBe("'=cmd|' /C calc'!A0");
      expect(r[header.indexOf("quantity")]).toBe("10");
    }
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
  });

  it("the batch's Circular 02/2024 dataset: the product name comes out as text", async () => {
    const response = (await circularCsv.loader(args(get(`/inspector/batches/${batchId}/circular.csv`, cookie), { batchId }))) as Response;
    const rows = cells((await response.text()).replace(/^\uFEFF/, ""));
    expect(rows[0]).toEqual(["item", "value"]);
    expect(rows[1]).toEqual(["1 Tên sản phẩm / Product name", `'${HYPERLINK}`]);
    expect(rows[3]).toEqual(["3 Tên cơ sở / Producer", "'=cmd|' /C calc'!A0"]);
    for (const r of rows.slice(1)) expect(r[1], r[0]).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
  });

  /** Every piece of every cell once split on `separator` (quotes honoured) and again ignoring quotes, as a careless importer would. */
  function pieces(text: string): string[] {
    const body = text.replace(/^\uFEFF/, "");
    const honoured = [",", ";"].flatMap((sep) => cells(body, sep).flat());
    const careless = body.split(/[,;\r\n]/);
    return [...honoured, ...careless].map((p) => p.replace(/^"/, ""));
  }

  it("`;`-split cells come out inert", async () => {
    const events = await (await eventsCsv.loader(args(get("/inspector/events.csv?province=20", cookie)))) as Response;
    const circular = await (await circularCsv.loader(args(get(`/inspector/batches/${splitBatchId}/circular.csv`, cookie), { batchId: splitBatchId }))) as Response;
    for (const text of [await events.text(), await circular.text()]) {
      // A cell holding either separator is quoted, so Excel keeps it one cell in either locale.
      expect(text).not.toMatch(/(^|[,\r\n])[^",\r\n]*;[^",\r\n]*(,|\r\n)/);
      for (const piece of pieces(text)) expect(piece, JSON.stringify(piece)).not.toMatch(TRIGGER);
      // Read back with the separator the file was written with, the name is whole (its formulas shown as text).
      expect(cells(text.replace(/^\uFEFF/, "")).flat()).toContain("x;'=1+1;'=cmd|' /C calc'!A0;y");
    }
  });
});
