import PDFDocument from "pdfkit";
import { bundledFonts, qrRuns } from "./label.server";

// Printable label sheets as PDF with vector QR codes: A4 sheets of 24, 40 or 65
// labels, or one 50×30 mm thermal label per page.

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };

export const SHEET_LAYOUTS = {
  A4_24: { cols: 3, rows: 8, labelW: 70 * MM, labelH: 37 * MM, thermal: false },
  A4_40: { cols: 4, rows: 10, labelW: 52.5 * MM, labelH: 29.7 * MM, thermal: false },
  A4_65: { cols: 5, rows: 13, labelW: 38.1 * MM, labelH: 21.2 * MM, thermal: false },
  THERMAL_50x30: { cols: 1, rows: 1, labelW: 50 * MM, labelH: 30 * MM, thermal: true },
} as const;
export type SheetLayout = keyof typeof SHEET_LAYOUTS;
export const SHEET_LAYOUT_NAMES = Object.keys(SHEET_LAYOUTS) as SheetLayout[];

export type SheetLabel = { url: string; productName: string; lotCode: string; serial: string | null };
export type SheetText = { lot: string; serial: string; callToScan: string };

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

function drawLabel(doc: PDFKit.PDFDocument, label: SheetLabel, text: SheetText, x: number, y: number, w: number, h: number) {
  const pad = Math.min(w, h) * 0.06;
  const qrSize = h - 2 * pad;
  const { modules, runs } = qrRuns(label.url);
  const cell = qrSize / modules;
  for (const [row, col, len] of runs) doc.rect(x + pad + col * cell, y + pad + row * cell, len * cell, cell);
  doc.fill("#000000");

  const tx = x + pad + qrSize + pad * 0.5;
  const tw = w - (tx - x) - pad;
  const top = y + pad;
  const bottom = y + h - pad;

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
  const callTop = bottom - callLines.length * callSize * 1.15;

  const nameSize = Math.max(3.5, h * 0.12);
  let ty = top;
  doc.font("SansBold").fontSize(nameSize);
  for (const l of wrapLines(doc, label.productName, tw, 2)) {
    doc.text(l, tx, ty, { lineBreak: false });
    ty += nameSize * 1.15;
  }
  const infoSize = Math.max(3, h * 0.085);
  doc.font("Sans").fontSize(infoSize);
  ty += infoSize * 0.2;
  for (const info of [`${text.lot}: ${label.lotCode}`, label.serial ? `${text.serial}: ${label.serial}` : null]) {
    if (!info || ty + infoSize > callTop) continue;
    doc.text(fit(doc, info, tw), tx, ty, { lineBreak: false });
    ty += infoSize * 1.2;
  }
  doc.fillColor("#166534").fontSize(callSize);
  callLines.forEach((l, i) => doc.text(l, tx, callTop + i * callSize * 1.15, { lineBreak: false }));
  doc.fillColor("#000000");
}

/**
 * Renders labels into a PDF. Yields to the event loop every few labels so a
 * server keeps answering while a long run prints, and reports progress.
 */
export async function renderLabelSheet(labels: SheetLabel[], layoutName: SheetLayout, text: SheetText, onProgress?: (done: number) => Promise<void> | void): Promise<Buffer> {
  const layout = SHEET_LAYOUTS[layoutName];
  const pageSize: [number, number] = layout.thermal ? [layout.labelW, layout.labelH] : [A4.width, A4.height];
  const doc = new PDFDocument({ size: pageSize, margin: 0, autoFirstPage: false, info: { Title: "ocop-trace labels", Producer: "ocop-trace" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const [regular, bold] = bundledFonts();
  doc.registerFont("Sans", regular!);
  doc.registerFont("SansBold", bold ?? regular!);

  const perPage = layout.cols * layout.rows;
  const marginX = (pageSize[0] - layout.cols * layout.labelW) / 2;
  const marginY = (pageSize[1] - layout.rows * layout.labelH) / 2;
  for (const [i, label] of labels.entries()) {
    const slot = i % perPage;
    if (slot === 0) doc.addPage();
    const col = slot % layout.cols;
    const row = Math.floor(slot / layout.cols);
    drawLabel(doc, label, text, marginX + col * layout.labelW, marginY + row * layout.labelH, layout.labelW, layout.labelH);
    if ((i + 1) % 25 === 0) {
      await onProgress?.(i + 1);
      await new Promise((r) => setImmediate(r));
    }
  }
  if (labels.length === 0) doc.addPage();
  doc.end();
  const pdf = await finished;
  await onProgress?.(labels.length);
  return pdf;
}
