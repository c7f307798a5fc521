import { stringify } from "csv-stringify/sync";
import { prisma } from "~/db.server";
import { describeLocation, findProvince } from "~/domain/address/address.server";
import { badgeCertificate, badgeCertificateSelect } from "~/domain/catalog/certificate";
import { translator } from "~/i18n/translate";
import { appUrl } from "~/lib/app-url.server";
import { toIsoDay, toVnIso } from "~/lib/time";

// Regulator exports: the Circular 02/2024/TT-BKHCN minimum dataset of a batch, and a
// sortable CSV of every trace event of a province (FSMA 204 style), streamed in pages
// so memory stays flat however many events there are.
//
// What regulators read: times in Vietnam time with the offset ("2026-11-22T06:00:00+07:00",
// the same instant as the UTC form, but the day and hour the farmer wrote); a stage's code
// (machine-readable, stable) with its Vietnamese name beside it; the input applied (name,
// active ingredient, dose, pre-harvest interval) in columns of its own; a production or
// expiry date as the calendar date it was entered as.

const vi = translator("vi");
/** The stage's Vietnamese name ("Bón phân / phun thuốc" for INPUT_APPLICATION). */
export const stageNameVi = (kind: string) => vi(`event.kind.${kind}`);

/** The input applied at an INPUT_APPLICATION event, from its Key Data Elements (null where none). */
function inputOf(kde: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    inputName: text(kde.inputName),
    activeIngredient: text(kde.activeIngredient),
    dose: text(kde.dose),
    phiDays: typeof kde.phiDays === "number" ? kde.phiDays : null,
  };
}

/** The 10 items Circular 02/2024/TT-BKHCN requires to be published for a traced product. */
export async function circularDataset(batchId: string) {
  const b = await prisma.batch.findUnique({
    where: { id: batchId },
    select: {
      id: true,
      lotCode: true,
      producedAt: true,
      expiresAt: true,
      product: {
        select: {
          name: true,
          gtin: true,
          images: { select: { storageKey: true }, orderBy: { position: "asc" }, take: 1 },
          certificates: {
            where: { verification: "VERIFIED" },
            select: badgeCertificateSelect,
          },
          producer: { select: { id: true, name: true, street: true, wardCode: true, provinceCode: true } },
        },
      },
      codes: { where: { kind: "BATCH" }, select: { code: true }, take: 1 },
      events: {
        where: { correctsId: null },
        orderBy: { occurredAt: "asc" },
        select: { kind: true, occurredAt: true, place: true, data: true },
      },
    },
  });
  if (!b) return null;
  const p = b.product;
  const where = describeLocation(p.producer.wardCode, p.producer.provinceCode);
  const badge = badgeCertificate(p.certificates);
  return {
    "1_productName": p.name,
    "2_image": p.images[0] ? `${appUrl()}/media/${p.images[0].storageKey}-640.webp` : null,
    "3_producerName": p.producer.name,
    "4_producerAddress": `${p.producer.street}, ${where.ward}, ${where.province}`,
    "5_productionStages": b.events.map((e) => ({
      stage: e.kind,
      stageName: stageNameVi(e.kind),
      productCode: p.gtin ?? b.lotCode,
      locationCode: `${p.producer.provinceCode}-${p.producer.wardCode}`,
      place: e.place,
      time: toVnIso(e.occurredAt),
      ...inputOf(JSON.parse(e.data) as Record<string, unknown>),
    })),
    "6_productionTime": toIsoDay(b.producedAt),
    "7_traceabilityCode": b.codes[0]?.code ?? null,
    "8_brandAndSerial": { gtin: p.gtin, lot: b.lotCode },
    "9_expiry": b.expiresAt ? toIsoDay(b.expiresAt) : null,
    "10_appliedStandards": badge ? [`OCOP ${badge.stars}★ (${badge.decisionNumber})`] : [],
  };
}

// Spreadsheets run a cell that starts with = + - @ (or their full-width forms, tab, CR) as a
// formula: `escape_formulas` prefixes such cells with ' so Excel and LibreOffice show text.
// csv-stringify 6.9 covers the full-width ＝＋－＠ itself (checked in its source), but it looks
// at the first character only and quotes a cell only when it holds its own delimiter (",").
// Excel splits a .csv on the locale's list separator: "," on Vietnamese Windows, ";" on many
// European ones, so `x;=1+1` came out as the live formula `=1+1` there. Hence, for every string:
// a cell holding ";" is quoted too (Excel honours quotes with either separator), and each piece
// after a "," or ";" that starts (after spaces or tabs) like a formula gets the same ' — for
// importers that split without honouring quotes. The text read back has a ' before such pieces.
// A line break (\r or \n) inside a cell separates as well — an importer that splits lines first
// started a new row with `=1+1` — so it is quoted and neutralised after in the same way.
const FORMULA_START = /^[ \t]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
const SEPARATOR = /[,;\r\n]/;

/** `value` with a ' before each separator-split piece that would start a formula (the first piece too). */
export function neutraliseFormulas(value: string): string {
  return value
    .split(/(?<=[,;\r\n])/)
    .map((piece) => (FORMULA_START.test(piece) ? `'${piece}` : piece))
    .join("");
}

const CSV_OPTIONS = {
  escape_formulas: true,
  record_delimiter: "windows",
  cast: { string: (value: string) => ({ value: neutraliseFormulas(value), quoted: SEPARATOR.test(value) }) },
} as const;

/** CSV rows (RFC 4180, CRLF) with formula-like cells neutralised; `bom` for the first chunk so Excel reads UTF-8. */
export function csvRows(rows: unknown[][], bom = false): string {
  return stringify(rows, { ...CSV_OPTIONS, bom });
}

/** Columns after item/value: filled on the production-stage rows (item 5), so a sheet can sort and filter them. */
export const CIRCULAR_STAGE_COLUMNS = [
  "stage_code",
  "stage",
  "time",
  "place",
  "location_code",
  "input_name",
  "active_ingredient",
  "dose",
  "phi_days",
];

export function circularCsv(dataset: NonNullable<Awaited<ReturnType<typeof circularDataset>>>): string {
  const stageRows = dataset["5_productionStages"].map((s, i): unknown[] => [
    `5.${i + 1} Công đoạn / Stage`,
    [
      `${s.stageName} (${s.stage})`,
      s.time,
      s.locationCode,
      s.place,
      s.inputName &&
        `${s.inputName} (${[s.activeIngredient, s.dose, s.phiDays !== null ? `cách ly ${s.phiDays} ngày` : null].filter(Boolean).join(", ")})`,
    ]
      .filter(Boolean)
      .join(" · "),
    s.stage,
    s.stageName,
    s.time,
    s.place,
    s.locationCode,
    s.inputName,
    s.activeIngredient,
    s.dose,
    s.phiDays,
  ]);
  const rows: unknown[][] = [
    ["1 Tên sản phẩm / Product name", dataset["1_productName"]],
    ["2 Hình ảnh / Image", dataset["2_image"]],
    ["3 Tên cơ sở / Producer", dataset["3_producerName"]],
    ["4 Địa chỉ / Address", dataset["4_producerAddress"]],
    ...stageRows,
    ["6 Thời gian sản xuất / Production time", dataset["6_productionTime"]],
    ["7 Mã truy xuất / Trace code", dataset["7_traceabilityCode"]],
    ["8 Nhãn hiệu, số lô / Brand, lot", `${dataset["8_brandAndSerial"].gtin ?? ""} ${dataset["8_brandAndSerial"].lot}`.trim()],
    ["9 Hạn sử dụng / Expiry", dataset["9_expiry"]],
    ["10 Tiêu chuẩn áp dụng / Standards", dataset["10_appliedStandards"].join("; ")],
  ];
  return csvRows([["item", "value", ...CIRCULAR_STAGE_COLUMNS], ...rows], true);
}

export const EVENT_CSV_HEADER = [
  "lot",
  "product",
  "gtin",
  "event",
  "event_vi",
  "time",
  "place",
  "quantity",
  "unit",
  "input_name",
  "active_ingredient",
  "dose",
  "phi_days",
  "reference_document",
  "producer",
  "province",
  "event_id",
  "corrects",
];

/**
 * Every trace event of producers in the province (optionally within [from, to)), as
 * CSV streamed a few hundred lots at a time so memory stays flat however many events
 * there are: grouped by lot, each lot's events in time order (ISO times in Vietnam time,
 * one offset throughout, so the sheet sorts by any column). `from`/`to` are instants
 * (the route turns the form's Vietnam days into them). Each step is two indexed queries (lots by keyset, their events).
 */
export function provinceEventsCsv(provinceCode: string, from: Date | null, to: Date | null, lotsPerStep = 500): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const province = findProvince(provinceCode)?.name ?? provinceCode;
  const occurredAt = from || to ? { occurredAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {};
  let afterBatchId: string | null = null;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRows([EVENT_CSV_HEADER], true)));
        return;
      }
      // Lots whose events all fall outside the date range give nothing; keep going until a step does.
      for (;;) {
        const lots = await prisma.batch.findMany({
          where: { product: { producer: { provinceCode } }, ...(afterBatchId ? { id: { gt: afterBatchId } } : {}) },
          orderBy: { id: "asc" },
          take: lotsPerStep,
          select: { id: true, lotCode: true, product: { select: { name: true, gtin: true, producer: { select: { name: true } } } } },
        });
        if (lots.length === 0) return controller.close();
        afterBatchId = lots[lots.length - 1]!.id;
        const lotOf = new Map(lots.map((l) => [l.id, l]));
        const events = await prisma.traceEvent.findMany({
          where: { batchId: { in: lots.map((l) => l.id) }, ...occurredAt },
          orderBy: [{ batchId: "asc" }, { occurredAt: "asc" }, { id: "asc" }],
          select: { id: true, batchId: true, kind: true, occurredAt: true, place: true, data: true, correctsId: true },
        });
        if (events.length > 0) {
          const rows = events.map((e) => {
            const lot = lotOf.get(e.batchId)!;
            const kde = JSON.parse(e.data) as Record<string, unknown>;
            const input = inputOf(kde);
            return [
              lot.lotCode,
              lot.product.name,
              lot.product.gtin,
              e.kind,
              stageNameVi(e.kind),
              toVnIso(e.occurredAt),
              e.place,
              kde.quantity ?? kde.outputQuantity,
              kde.unit,
              input.inputName,
              input.activeIngredient,
              input.dose,
              input.phiDays,
              kde.documentNumber,
              lot.product.producer.name,
              province,
              e.id,
              e.correctsId,
            ];
          });
          controller.enqueue(encoder.encode(csvRows(rows)));
        }
        if (lots.length < lotsPerStep) return controller.close();
        if (events.length > 0) return;
      }
    },
  });
}
