import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import PDFDocument from "pdfkit";
import { bundledFonts, qrRuns } from "./label.server";
import { SHEET_LAYOUTS, type SheetLayout } from "./label-layouts";

export { SHEET_LAYOUT_NAMES, type SheetLayout } from "./label-layouts";

// Printable label sheets as PDF with vector QR codes: A4 sheets of 24, 40 or 65
// labels, or one 50×30 mm thermal label per page.

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };

/** `pin`: a unit's scratch PIN, printed in a box to be covered by a scratch-off sticker (first print only). */
export type SheetLabel = { url: string; productName: string; lotCode: string; serial: string | null; pin?: string | null };
export type SheetText = { lot: string; serial: string; callToScan: string; pin: string };

function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Word-wraps into at most maxLines lines with the current font; the last line is cut with "…". */
function wrapLines(doc: PDFKit.PDFDocument, text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  const words = text.split(/\s+/).filter(Boolean);
  for (const [i, word] of words.entries()) {
    const candidate = line ? `${line} ${word}` : word;
    if (doc.widthOfString(candidate) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
      if (lines.length === maxLines - 1) {
        line = words.slice(i).join(" ");
        break;
      }
    }
  }
  if (line) lines.push(line);
  return lines.slice(0, maxLines).map((l, i, all) => (i === all.length - 1 ? fit(doc, l, width) : l));
}

type TextLayout = { nameLines: string[]; nameSize: number; lotLine: string; infoSize: number; callLines: string[]; callSize: number; callTop: number; showSerial: boolean; pinHeight: number };

/**
 * Where the words go on a label of this size. Every label of a run has the same
 * product, lot and call to scan, so this is measured once per run, not per label.
 */
function layoutText(doc: PDFKit.PDFDocument, label: SheetLabel, text: SheetText, w: number, h: number, tw: number, withPin: boolean): TextLayout {
  const pad = Math.min(w, h) * 0.06;
  // The call to scan is required on every label: it wraps to two lines and shrinks, never cut.
  doc.font("Sans");
  let callSize = Math.max(3, h * 0.09);
  doc.fontSize(callSize);
  let callLines = wrapLines(doc, text.callToScan, tw, 2);
  while (callSize > 3 && (callLines.some((l) => l.endsWith("…")) || callLines.some((l) => doc.widthOfString(l) > tw))) {
    callSize -= 0.25;
    doc.fontSize(callSize);
    callLines = wrapLines(doc, text.callToScan, tw, 2);
  }
  const callTop = h - pad - callLines.length * callSize * 1.15;
  const nameSize = Math.max(3.5, h * 0.12);
  doc.font("SansBold").fontSize(nameSize);
  let nameLines = wrapLines(doc, label.productName, tw, 2);
  const infoSize = Math.max(3, h * 0.085);
  doc.font("Sans").fontSize(infoSize);
  const lotLine = fit(doc, `${text.lot}: ${label.lotCode}`, tw);
  // A PIN must be printed (only its hash is kept): when its box does not fit under a
  // two-line name, the name gets one line, and as a last resort the serial line goes.
  const pinHeight = withPin ? infoSize * 1.9 : 0;
  const serialTop = (lines: number) => pad + lines * nameSize * 1.15 + infoSize * 0.2 + infoSize * 1.2;
  if (withPin && nameLines.length > 1 && serialTop(nameLines.length) + infoSize * 1.2 + pinHeight > callTop) {
    doc.font("SansBold").fontSize(nameSize);
    nameLines = wrapLines(doc, label.productName, tw, 1);
  }
  const top = serialTop(nameLines.length);
  return { nameLines, nameSize, lotLine, infoSize, callLines, callSize, callTop, showSerial: top + infoSize * 1.2 + pinHeight <= callTop, pinHeight };
}

function drawLabel(doc: PDFKit.PDFDocument, label: SheetLabel, text: SheetText, x: number, y: number, w: number, h: number, cache: Map<string, TextLayout>) {
  const pad = Math.min(w, h) * 0.06;
  const qrSize = h - 2 * pad;
  const { modules, runs } = qrRuns(label.url);
  // Modules are drawn in module units under one scaling transform: small integers in
  // one content string, instead of hundreds of separately formatted rectangles.
  let ops = "";
  for (const [row, col, len] of runs) ops += `${col} ${row} ${len} 1 re\n`;
  doc.save();
  doc.transform(qrSize / modules, 0, 0, qrSize / modules, x + pad, y + pad);
  doc.addContent(ops);
  doc.fill("#000000");
  doc.restore();

  const tx = x + pad + qrSize + pad * 0.5;
  const tw = w - (tx - x) - pad;
  const key = `${label.productName}\u0000${label.lotCode}\u0000${label.pin ? "pin" : ""}`;
  let layout = cache.get(key);
  if (!layout) cache.set(key, (layout = layoutText(doc, label, text, w, h, tw, Boolean(label.pin))));

  let ty = y + pad;
  doc.font("SansBold").fontSize(layout.nameSize);
  for (const l of layout.nameLines) {
    doc.text(l, tx, ty, { lineBreak: false });
    ty += layout.nameSize * 1.15;
  }
  doc.font("Sans").fontSize(layout.infoSize);
  ty += layout.infoSize * 0.2;
  doc.text(layout.lotLine, tx, ty, { lineBreak: false });
  ty += layout.infoSize * 1.2;
  if (label.serial && layout.showSerial) {
    // A random serial is 17 characters: shrunk to the column, never cut (it is how a label is voided).
    const line = `${text.serial}: ${label.serial}`;
    const width = doc.widthOfString(line);
    if (width > tw) doc.fontSize((layout.infoSize * tw) / width);
    doc.text(line, tx, ty, { lineBreak: false });
    doc.fontSize(layout.infoSize);
    ty += layout.infoSize * 1.2;
  }
  if (label.pin) {
    // The scratch field: a dashed box the scratch-off sticker goes over, the PIN in bold inside.
    const boxH = layout.pinHeight * 0.9;
    const pinText = `${text.pin}: ${label.pin.slice(0, 3)} ${label.pin.slice(3)}`;
    doc.font("SansBold").fontSize(layout.infoSize);
    const boxW = Math.min(tw, doc.widthOfString(pinText) + layout.infoSize);
    doc.save().lineWidth(0.4).dash(1.2, { space: 1 }).rect(tx, ty, boxW, boxH).stroke().restore();
    doc.text(pinText, tx + layout.infoSize * 0.5, ty + (boxH - layout.infoSize) / 2, { lineBreak: false });
    doc.font("Sans");
  }
  doc.fillColor("#166534").fontSize(layout.callSize);
  layout.callLines.forEach((l, i) => doc.text(l, tx, y + layout.callTop + i * layout.callSize * 1.15, { lineBreak: false }));
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
export async function writeLabelSheet(labels: SheetLabel[], layoutName: SheetLayout, text: SheetText, out: Writable, onProgress?: (done: number) => Promise<void> | void): Promise<void> {
  const layout = SHEET_LAYOUTS[layoutName];
  const pageSize: [number, number] = layout.thermal ? [layout.labelW, layout.labelH] : [A4.width, A4.height];
  const doc = new PDFDocument({ size: pageSize, margin: 0, autoFirstPage: false, info: { Title: "ocop-trace labels", Producer: "ocop-trace" } });
  const written = pipeline(doc, out);
  // If the writer fails, stop drawing at once (the loop below checks this).
  let failed: unknown = null;
  written.catch((e: unknown) => (failed = e));
  const [regular, bold] = bundledFonts();
  doc.registerFont("Sans", regular!);
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
export async function renderLabelSheet(labels: SheetLabel[], layoutName: SheetLayout, text: SheetText, onProgress?: (done: number) => Promise<void> | void): Promise<Buffer> {
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
