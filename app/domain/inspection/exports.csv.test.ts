// CSV exports are opened in Excel and LibreOffice by inspectors. A producer controls product
// names and event places, so a cell that starts like a formula must come out as text.
import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import { validateEpcisDocument } from "epcis2.js";
import { batchEpcisDocument } from "~/domain/trace/epcis.server";
import * as circularCsv from "~/routes/inspector.batches.$batchId.circular[.csv]";
import * as circularJson from "~/routes/inspector.batches.$batchId.circular[.json]";
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
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && csv[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
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
      const recorded = await recordEvent({
        producerId: producer.id,
        batchId: batch.id,
        userId: user.id,
        kind: "HARVESTING",
        input: { occurredAt: new Date(Date.UTC(2026, 9, 1 + i)), place, quantity: 10, unit: "kg" },
      });
      expect(recorded.ok).toBe(true);
    }
    batchId = batch.id;
    const split = await createProducer("APPROVED", SPLIT_NAME);
    await prisma.producer.update({ where: { id: split.producer.id }, data: { provinceCode: "20" } });
    const splitLot = await createProductWithBatch(split.producer.id, "CSV-SPLIT");
    await prisma.product.update({ where: { id: splitLot.product.id }, data: { name: SPLIT_NAME } });
    for (const [i, place] of SPLIT_PLACES.entries()) {
      const recorded = await recordEvent({
        producerId: split.producer.id,
        batchId: splitLot.batch.id,
        userId: split.user.id,
        kind: "HARVESTING",
        input: { occurredAt: new Date(Date.UTC(2026, 9, 1 + i)), place, quantity: 10, unit: "kg" },
      });
      expect(recorded.ok).toBe(true);
    }
    splitBatchId = splitLot.batch.id;
    const inspector = await createUser(["INSPECTOR"], "Thanh tra Thái Nguyên");
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "20" } });
    cookie = await cookieFor(inspector.id);
  });

  it("the province's events: every formula-like cell is prefixed with ' so it shows as text", async () => {
    const response = await eventsCsv.loader(args(get("/inspector/events.csv?province=19", cookie)));
    const text = await response.text();
    const rows = cells(text.replace(/^\uFEFF/, ""));
    const header = rows[0]!;
    const body = rows.slice(1);
    expect(body).toHaveLength(PLACES.length);
    const places = body.map((r) => r[header.indexOf("place")]);
    // A line break separates too: after "\r" the formula gets its own '.
    expect(places).toEqual(PLACES.map((p) => (p === "\r=1+1" ? "'\r'=1+1" : `'${p}`)));
    for (const r of body) {
      expect(r[header.indexOf("product")]).toBe(`'${HYPERLINK}`);
      expect(r[header.indexOf("producer")]).toBe("'=cmd|' /C calc'!A0");
      expect(r[header.indexOf("quantity")]).toBe("10");
    }
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
  });

  it("the batch's Circular 02/2024 dataset: the product name comes out as text", async () => {
    const response = await circularCsv.loader(args(get(`/inspector/batches/${batchId}/circular.csv`, cookie), { batchId }));
    const rows = cells((await response.text()).replace(/^\uFEFF/, ""));
    expect(rows[0]!.slice(0, 2)).toEqual(["item", "value"]);
    expect(rows[1]!.slice(0, 2)).toEqual(["1 Tên sản phẩm / Product name", `'${HYPERLINK}`]);
    expect(rows[3]!.slice(0, 2)).toEqual(["3 Tên cơ sở / Producer", "'=cmd|' /C calc'!A0"]);
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
    const events = await eventsCsv.loader(args(get("/inspector/events.csv?province=20", cookie)));
    const circular = await circularCsv.loader(
      args(get(`/inspector/batches/${splitBatchId}/circular.csv`, cookie), { batchId: splitBatchId }),
    );
    for (const text of [await events.text(), await circular.text()]) {
      // A cell holding either separator is quoted, so Excel keeps it one cell in either locale.
      expect(text).not.toMatch(/(^|[,\r\n])[^",\r\n]*;[^",\r\n]*(,|\r\n)/);
      for (const piece of pieces(text)) expect(piece, JSON.stringify(piece)).not.toMatch(TRIGGER);
      // Read back with the separator the file was written with, the name is whole (its formulas shown as text).
      expect(cells(text.replace(/^\uFEFF/, "")).flat()).toContain("x;'=1+1;'=cmd|' /C calc'!A0;y");
    }
  });
});

// Inspectors and shoppers read times as Vietnam time: an event at 06:00 on 22 November in Ba Chẽ
// is "2026-11-22T06:00:00+07:00", not "2026-11-21T23:00:00.000Z" of the day before.
describe("exports in +07:00 with Vietnamese stage names", () => {
  let batchId: string;
  let cookie: string;
  const INPUT = { inputName: "Phân hữu cơ vi sinh Sông Gianh", activeIngredient: "Trichoderma spp.", dose: "2 kg/gốc", phiDays: 7 };

  beforeAll(async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Trà hoa vàng Ba Chẽ");
    await prisma.producer.update({ where: { id: producer.id }, data: { provinceCode: "22", wardCode: "06970" } });
    const { batch } = await createProductWithBatch(producer.id, "TRA-2611");
    await prisma.batch.update({ where: { id: batch.id }, data: { expiresAt: new Date("2027-05-31") } });
    // 06:00 on 22 November in Vietnam is 23:00 UTC on the 21st.
    const input = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "INPUT_APPLICATION",
      input: { occurredAt: new Date(Date.UTC(2026, 10, 21, 23, 0)), place: "Đồi chè số 3", ...INPUT },
    });
    expect(input.ok).toBe(true);
    const harvest = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "HARVESTING",
      input: { occurredAt: new Date(Date.UTC(2026, 10, 30, 0, 30)), place: "Đồi chè số 3", quantity: 50, unit: "kg" },
    });
    expect(harvest.ok).toBe(true);
    batchId = batch.id;
    const inspector = await createUser(["INSPECTOR"], "Thanh tra Quảng Ninh");
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "22" } });
    cookie = await cookieFor(inspector.id);
  });

  async function eventRows(query: string) {
    const response = await eventsCsv.loader(args(get(`/inspector/events.csv?province=22${query}`, cookie)));
    expect(response.status).toBe(200);
    const [header, ...body] = cells((await response.text()).replace(/^\uFEFF/, ""));
    return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
  }

  it("events.csv: Vietnam times with the offset, the stage in Vietnamese beside its code, the input as columns", async () => {
    const rows = await eventRows("");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      event: "INPUT_APPLICATION",
      event_vi: "Bón phân / phun thuốc",
      time: "2026-11-22T06:00:00+07:00",
      input_name: INPUT.inputName,
      active_ingredient: INPUT.activeIngredient,
      dose: INPUT.dose,
      phi_days: "7",
    });
    expect(rows[1]).toMatchObject({
      event: "HARVESTING",
      event_vi: "Thu hoạch",
      time: "2026-11-30T07:30:00+07:00",
      quantity: "50",
      unit: "kg",
      input_name: "",
    });
    // The dates of the form are Vietnam days: from 22 November takes the 06:00 event of that day.
    expect((await eventRows("&from=2026-11-22&to=2026-11-23")).map((r) => r.event)).toEqual(["INPUT_APPLICATION"]);
  });

  it("events.csv: a reversed date range is refused with a message (400, a page), not an empty file", async () => {
    for (const range of ["&from=2026-11-30&to=2026-11-01", "&from=2026-11-22&to=2026-11-22"]) {
      const response = await eventsCsv.loader(args(get(`/inspector/events.csv?province=22${range}`, cookie)));
      expect(response.status).toBe(400);
      expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
      expect(response.headers.get("Content-Disposition")).toBeNull();
      const page = await response.text();
      expect(page).toContain("phải sau");
      expect(page).toContain('href="/inspector/dashboard?province=22"');
    }
  });

  it("the Circular 02/2024 CSV and JSON: stages in Vietnamese with their code, Vietnam times, input columns, dates as dates", async () => {
    const csv = await circularCsv.loader(args(get(`/inspector/batches/${batchId}/circular.csv`, cookie), { batchId }));
    const [header, ...rows] = cells((await csv.text()).replace(/^\uFEFF/, ""));
    const named = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
    const stage = named.find((r) => r.stage_code === "INPUT_APPLICATION")!;
    expect(stage).toMatchObject({
      stage: "Bón phân / phun thuốc",
      time: "2026-11-22T06:00:00+07:00",
      place: "Đồi chè số 3",
      input_name: INPUT.inputName,
      active_ingredient: INPUT.activeIngredient,
      dose: INPUT.dose,
      phi_days: "7",
    });
    expect(stage.value).toContain("Bón phân / phun thuốc (INPUT_APPLICATION)");
    expect(named.find((r) => r.item!.startsWith("6 "))!.value).toBe("2026-10-01");
    expect(named.find((r) => r.item!.startsWith("9 "))!.value).toBe("2027-05-31");

    const json = await circularJson.loader(args(get(`/inspector/batches/${batchId}/circular.json`, cookie), { batchId }));
    const data = (await json.json()) as Record<string, unknown>;
    expect(data["5_productionStages"]).toMatchObject([
      { stage: "INPUT_APPLICATION", stageName: "Bón phân / phun thuốc", time: "2026-11-22T06:00:00+07:00", ...INPUT },
      { stage: "HARVESTING", stageName: "Thu hoạch", time: "2026-11-30T07:30:00+07:00" },
    ]);
    expect(data).toMatchObject({ "6_productionTime": "2026-10-01", "9_expiry": "2027-05-31" });
    expect(JSON.stringify(data)).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
  });

  it("EPCIS: eventTime in Vietnam time with its offset (the standard's date-time allows it), still a valid document", async () => {
    const doc = (await batchEpcisDocument(batchId))!;
    expect(doc.epcisBody.eventList[0]).toMatchObject({ eventTime: "2026-11-22T06:00:00+07:00", eventTimeZoneOffset: "+07:00" });
    expect(validateEpcisDocument(doc, false)).toMatchObject({ success: true });
  });
});
