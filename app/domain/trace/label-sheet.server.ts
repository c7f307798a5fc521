import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import PDFDocument from "pdfkit";
import { bundledFonts, labelDate, lineSize, qrRuns, shrinkToFit } from "./label.server";
import { SHEET_LAYOUTS, type SheetLayout } from "./label-layouts";

export { SHEET_LAYOUT_NAMES, type SheetLayout } from "./label-layouts";

// Printable label sheets as PDF with vector QR codes: A4 sheets of 24, 40 or 65
// labels, or one 50×30 mm thermal label per page.

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };

/**
 * `producerName` and `expiresAt` (the lot's expiry, if it has one) are printed on every label;
 * `pin`: a unit's scratch PIN, printed in a box to be covered by a scratch-off sticker (first print only).
 */
export type SheetLabel = {
  url: string;
  productName: string;
  producerName: string;
  lotCode: string;
  expiresAt?: Date | null;
  serial: string | null;
  pin?: string | null;
};
export type SheetText = { lot: string; serial: string; callToScan: string; pin: string; expiry: string };

// What a label says is never cut: no word is dropped and no "…" is printed. A text too long
// for its place wraps (to two lines at most) and, if it still does not fit, is set smaller;
// DejaVu's own metrics measure it (pdfkit's widthOfString). The layout:
//   ┌──────────────────────────────────┐
//   │ Product name, whole, bold,       │  across the whole label: the widest place there is
//   │ on one or two lines              │
//   │ ┌──────┐ Producer                │
//   │ │  QR  │ Lot: BC-2611            │
//   │ │      │ HSD: dd/mm/yyyy         │
//   │ │      │ Serial, [PIN box]       │
//   │ └──────┘ Call to scan            │
//   └──────────────────────────────────┘

const LINE = 1.15;

type Sized = { text: string; size: number };
type TextLayout = {
  nameLines: string[];
  nameSize: number;
  /** From the label's top: where the QR and the column beside it start, and the QR's side. */
  bodyTop: number;
  qrSize: number;
  producerLines: string[];
  producerSize: number;
  infoSize: number;
  lot: Sized;
  expiry: Sized | null;
  showSerial: boolean;
  pinHeight: number;
  callLines: string[];
  callSize: number;
};

/**
 * Where the words go on a label of this size. Every label of a run has the same product,
 * producer, lot, expiry and call to scan, so this is measured once per run, not per label.
 */
function layoutText(doc: PDFKit.PDFDocument, label: SheetLabel, text: SheetText, w: number, h: number, withPin: boolean): TextLayout {
  const pad = Math.min(w, h) * 0.06;
  // The name first, across the label: two lines at most, smaller until it fits whole.
  const name = shrinkToFit(doc, "SansBold", label.productName, w - 2 * pad, 2, Math.max(3.5, h * 0.12));
  const bodyTop = pad + name.lines.length * name.size * LINE + pad * 0.3;
  const qrSize = h - bodyTop - pad;
  const tw = w - 2 * pad - qrSize - pad * 0.5;
  const expiryText = label.expiresAt ? `${text.expiry}: ${labelDate(label.expiresAt)}` : null;
  const lotText = `${text.lot}: ${label.lotCode}`;
  // The column beside the QR: producer, lot, expiry, serial, PIN box, call to scan. One
  // size for all of it, smaller until everything fits the QR's height; the serial line
  // goes only as a last resort (a PIN must be printed: only its hash is kept).
  const fitColumn = (size: number, withSerial: boolean) => {
    const producer = shrinkToFit(doc, "Sans", label.producerName, tw, 2, size);
    const call = shrinkToFit(doc, "Sans", text.callToScan, tw, 2, size);
    const pinHeight = withPin ? size * 1.9 : 0;
    const rows = 1 + (expiryText ? 1 : 0) + (withSerial && label.serial ? 1 : 0);
    const height =
      producer.lines.length * producer.size * LINE +
      size * 0.2 +
      rows * size * 1.2 +
      pinHeight +
      size * 0.3 +
      call.lines.length * call.size * LINE;
    return { producer, call, pinHeight, fits: height <= qrSize };
  };
  let infoSize = Math.max(3, h * 0.085);
  let showSerial = true;
  let column = fitColumn(infoSize, true);
  while (!column.fits && infoSize > 2.5) column = fitColumn((infoSize -= 0.25), true);
  if (!column.fits && label.serial) {
    showSerial = false;
    for (infoSize = Math.max(3, h * 0.085), column = fitColumn(infoSize, false); !column.fits && infoSize > 2.5;)
      column = fitColumn((infoSize -= 0.25), false);
  }
  return {
    nameLines: name.lines,
    nameSize: name.size,
    bodyTop,
    qrSize,
    producerLines: column.producer.lines,
    producerSize: column.producer.size,
    infoSize,
    lot: { text: lotText, size: lineSize(doc, "Sans", lotText, tw, infoSize) },
    expiry: expiryText ? { text: expiryText, size: lineSize(doc, "Sans", expiryText, tw, infoSize) } : null,
    showSerial,
    pinHeight: column.pinHeight,
    callLines: column.call.lines,
    callSize: column.call.size,
  };
}

function drawLabel(
  doc: PDFKit.PDFDocument,
  label: SheetLabel,
  text: SheetText,
  x: number,
  y: number,
  w: number,
  h: number,
  cache: Map<string, TextLayout>,
) {
  const pad = Math.min(w, h) * 0.06;
  const key = [
    label.productName,
    label.producerName,
    label.lotCode,
    label.expiresAt?.getTime() ?? "",
    label.serial ? "serial" : "",
    label.pin ? "pin" : "",
  ].join("\u0000");
  let layout = cache.get(key);
  if (!layout) cache.set(key, (layout = layoutText(doc, label, text, w, h, Boolean(label.pin))));

  doc.fillColor("#000000").font("SansBold").fontSize(layout.nameSize);
  layout.nameLines.forEach((l, i) => doc.text(l, x + pad, y + pad + i * layout.nameSize * LINE, { lineBreak: false }));

  const qrSize = layout.qrSize;
  const { modules, runs } = qrRuns(label.url);
  // Modules are drawn in module units under one scaling transform: small integers in
  // one content string, instead of hundreds of separately formatted rectangles.
  let ops = "";
  for (const [row, col, len] of runs) ops += `${col} ${row} ${len} 1 re\n`;
  doc.save();
  doc.transform(qrSize / modules, 0, 0, qrSize / modules, x + pad, y + layout.bodyTop);
  doc.addContent(ops);
  doc.fill("#000000");
  doc.restore();

  const tx = x + pad + qrSize + pad * 0.5;
  const tw = w - (tx - x) - pad;
  let ty = y + layout.bodyTop;
  doc.font("Sans").fontSize(layout.producerSize);
  for (const l of layout.producerLines) {
    doc.text(l, tx, ty, { lineBreak: false });
    ty += layout.producerSize * LINE;
  }
  ty += layout.infoSize * 0.2;
  for (const line of [layout.lot, layout.expiry]) {
    if (!line) continue;
    doc.fontSize(line.size).text(line.text, tx, ty, { lineBreak: false });
    ty += layout.infoSize * 1.2;
  }
  doc.fontSize(layout.infoSize);
  if (label.serial && layout.showSerial) {
    // A random serial is 17 characters: shrunk to the column, never cut (it is how a label is voided).
    const line = `${text.serial}: ${label.serial}`;
    doc.fontSize(lineSize(doc, "Sans", line, tw, layout.infoSize));
    doc.text(line, tx, ty, { lineBreak: false });
    doc.fontSize(layout.infoSize);
    ty += layout.infoSize * 1.2;
  }
  if (label.pin) {
    // The scratch field: a dashed box the scratch-off sticker goes over, the PIN in bold inside.
    const boxH = layout.pinHeight * 0.9;
    const pinText = `${text.pin}: ${label.pin.slice(0, 3)} ${label.pin.slice(3)}`;
    const pinSize = lineSize(doc, "SansBold", pinText, tw - layout.infoSize, layout.infoSize);
    const boxW = Math.min(tw, doc.widthOfString(pinText) + layout.infoSize);
    doc.save().lineWidth(0.4).dash(1.2, { space: 1 }).rect(tx, ty, boxW, boxH).stroke().restore();
    doc
      .font("SansBold")
      .fontSize(pinSize)
      .text(pinText, tx + layout.infoSize * 0.5, ty + (boxH - pinSize) / 2, { lineBreak: false });
    doc.font("Sans");
  }
  const callTop = y + layout.bodyTop + qrSize - layout.callLines.length * layout.callSize * LINE;
  doc.fillColor("#166534").fontSize(layout.callSize);
  layout.callLines.forEach((l, i) => doc.text(l, tx, callTop + i * layout.callSize * LINE, { lineBreak: false }));
  doc.fillColor("#000000");
}

/** Unconsumed PDF output allowed to pile up before drawing waits for the writer (a slow database). */
const MAX_UNWRITTEN_BYTES = 4 * 1024 * 1024;

/**
 * Renders labels into a PDF written to `out` as it is made (pdfkit is a stream): the
 * whole file is never in memory. Yields to the event loop every few labels so a server
 * keeps answering while a long run prints, and reports progress. Resolves once `out` has
 * taken everything (its `final` done).
 */
export async function writeLabelSheet(
  labels: SheetLabel[],
  layoutName: SheetLayout,
  text: SheetText,
  out: Writable,
  onProgress?: (done: number) => Promise<void> | void,
): Promise<void> {
  const layout = SHEET_LAYOUTS[layoutName];
  const pageSize: [number, number] = layout.thermal ? [layout.labelW, layout.labelH] : [A4.width, A4.height];
  const doc = new PDFDocument({
    size: pageSize,
    margin: 0,
    autoFirstPage: false,
    info: { Title: "ocop-trace labels", Producer: "ocop-trace" },
  });
  const written = pipeline(doc, out);
  // If the writer fails, stop drawing at once (the loop below checks this).
  let failed: unknown = null;
  written.catch((e: unknown) => (failed = e));
  const [regular, bold] = bundledFonts();
  doc.registerFont("Sans", regular);
  doc.registerFont("SansBold", bold ?? regular!);

  const perPage = layout.cols * layout.rows;
  const cache = new Map<string, TextLayout>();
  const marginX = (pageSize[0] - layout.cols * layout.labelW) / 2;
  const marginY = (pageSize[1] - layout.rows * layout.labelH) / 2;
  for (const [i, label] of labels.entries()) {
    const slot = i % perPage;
    if (slot === 0) doc.addPage();
    const col = slot % layout.cols;
    const row = Math.floor(slot / layout.cols);
    drawLabel(doc, label, text, marginX + col * layout.labelW, marginY + row * layout.labelH, layout.labelW, layout.labelH, cache);
    if ((i + 1) % 25 === 0) {
      await onProgress?.(i + 1);
      await new Promise((r) => setImmediate(r));
      // pdfkit pushes without backpressure: wait while the writer is behind.
      while (!failed && doc.readableLength > MAX_UNWRITTEN_BYTES) await new Promise((r) => setTimeout(r, 5));
      if (failed) break;
    }
  }
  if (labels.length === 0) doc.addPage();
  doc.end();
  await written;
  await onProgress?.(labels.length);
}

/** The same PDF as one Buffer: for small sheets (a single label page, the benchmark). */
export async function renderLabelSheet(
  labels: SheetLabel[],
  layoutName: SheetLayout,
  text: SheetText,
  onProgress?: (done: number) => Promise<void> | void,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeLabelSheet(labels, layoutName, text, collect, onProgress);
  return Buffer.concat(chunks);
}
