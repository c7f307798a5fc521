import fs from "node:fs";
import { createRequire } from "node:module";
import QRCode from "qrcode";
import { Resvg } from "@resvg/resvg-js";
import PDFDocument from "pdfkit";

// A product label: QR on the left; the whole product name, the producer, the lot, the
// expiry date (when the lot has one) and the call to scan on the right. Built once as SVG; the PNG is that SVG rasterised with a bundled
// font (DejaVu Sans has every Vietnamese letter), so both look the same.

export type LabelInput = {
  url: string;
  productName: string;
  producerName: string;
  lotCode: string;
  expiresAt?: Date | null;
  callToScan: string;
  lotLabel: string;
  expiryLabel: string;
};

const WIDTH = 600;
const HEIGHT = 300;
const QR_BOX = 260;
const MARGIN = 20;
const TEXT_X = MARGIN + QR_BOX + 16;
const TEXT_WIDTH = WIDTH - TEXT_X - MARGIN;

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** A QR's dark modules as horizontal runs [row, firstColumn, length], with the standard 4-module quiet zone. */
export function qrRuns(url: string): { modules: number; runs: [number, number, number][] } {
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const bits = qr.modules.data; // row-major, one byte per module
  const quiet = 4;
  const runs: [number, number, number][] = [];
  for (let row = 0; row < n; row++) {
    let start = -1;
    for (let col = 0; col <= n; col++) {
      const dark = col < n && bits[row * n + col] === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push([row + quiet, start + quiet, col - start]);
        start = -1;
      }
    }
  }
  return { modules: n + 2 * quiet, runs };
}

/** The QR as one SVG path in a size×size box at (x, y). */
export function qrPath(url: string, x: number, y: number, size: number): string {
  const { modules, runs } = qrRuns(url);
  const cell = size / modules;
  let d = "";
  for (const [row, col, len] of runs) {
    d += `M${(x + col * cell).toFixed(2)} ${(y + row * cell).toFixed(2)}h${(len * cell).toFixed(2)}v${cell.toFixed(2)}h-${(len * cell).toFixed(2)}z`;
  }
  return `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000" shape-rendering="crispEdges"/>`;
}

// Text is measured with DejaVu's own metrics (pdfkit's widthOfString on a document that is
// never written), the fonts the PNG and the PDF sheets are drawn with. What a label says is
// never cut: a text too long for its place wraps and, if it still does not fit, is set smaller.

let measurer: PDFKit.PDFDocument | undefined;
/** A pdfkit document with "Sans" and "SansBold" (DejaVu) registered, only to measure text. */
export function textMeasurer(): PDFKit.PDFDocument {
  if (!measurer) {
    const [regular, bold] = bundledFonts();
    measurer = new PDFDocument({ autoFirstPage: false });
    measurer.registerFont("Sans", regular);
    measurer.registerFont("SansBold", bold ?? regular!);
  }
  return measurer;
}

/** Greedy word wrap with the document's current font; null when it takes more than maxLines or a word is wider than `width`. */
export function wrapWhole(doc: PDFKit.PDFDocument, text: string, width: number, maxLines: number): string[] | null {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (doc.widthOfString(candidate) <= width) line = candidate;
    else {
      if (line) lines.push(line);
      if (doc.widthOfString(word) > width) return null;
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.length <= maxLines ? lines : null;
}

const SMALLEST = 1;

/** The largest size from `size` down (quarter points) at which `text` wraps whole into maxLines lines of `width`. */
export function shrinkToFit(
  doc: PDFKit.PDFDocument,
  font: string,
  text: string,
  width: number,
  maxLines: number,
  size: number,
): { lines: string[]; size: number } {
  doc.font(font);
  for (let s = size; s > SMALLEST; s -= 0.25) {
    const lines = wrapWhole(doc.fontSize(s), text, width, maxLines);
    if (lines) return { lines, size: s };
  }
  // Below a point no text is read anyway; never cut it though.
  doc.fontSize(SMALLEST);
  return { lines: [text], size: SMALLEST };
}

/** `size`, or smaller so one line of `text` fits `width`. */
export function lineSize(doc: PDFKit.PDFDocument, font: string, text: string, width: number, size: number): number {
  const w = doc.font(font).fontSize(size).widthOfString(text);
  return w > width ? (size * width) / w : size;
}

/** A lot's expiry as printed on labels: dd/mm/yyyy (the date as entered, kept as UTC midnight). */
export const labelDate = (d: Date) => d.toISOString().slice(0, 10).split("-").reverse().join("/");

const ASCENT = 0.93; // DejaVu Sans: baseline this far below a line's top, in em

export function labelSvg(input: LabelInput): string {
  const doc = textMeasurer();
  const expiry = input.expiresAt ? `${input.expiryLabel}: ${labelDate(input.expiresAt)}` : null;
  const lot = `${input.lotLabel}: ${input.lotCode}`;
  const room = HEIGHT - 2 * MARGIN;
  // Everything at its usual size if it fits the QR's height; else all of it a little smaller.
  const layout = (k: number) => {
    const name = shrinkToFit(doc, "SansBold", input.productName, TEXT_WIDTH, 3, 24 * k);
    const producer = shrinkToFit(doc, "Sans", input.producerName, TEXT_WIDTH, 2, 17 * k);
    const call = shrinkToFit(doc, "Sans", input.callToScan, TEXT_WIDTH, 2, 17 * k);
    const info = 20 * k;
    const height =
      name.lines.length * name.size * 1.25 +
      10 * k +
      producer.lines.length * producer.size * 1.25 +
      (expiry ? 2 : 1) * info * 1.25 +
      10 * k +
      call.lines.length * call.size * 1.4;
    return { name, producer, call, info, fits: height <= room };
  };
  let k = 1;
  let l = layout(k);
  while (!l.fits && k > 0.3) l = layout((k -= 0.05));

  const texts: string[] = [];
  const line = (text: string, top: number, size: number, attrs = "") =>
    texts.push(
      `<text x="${TEXT_X}" y="${(top + size * ASCENT).toFixed(1)}" font-size="${size.toFixed(2)}"${attrs}>${escapeXml(text)}</text>`,
    );
  let top = MARGIN;
  for (const t of l.name.lines) {
    line(t, top, l.name.size, ' font-weight="bold"');
    top += l.name.size * 1.25;
  }
  top += 10 * k;
  for (const t of l.producer.lines) {
    line(t, top, l.producer.size);
    top += l.producer.size * 1.25;
  }
  for (const t of expiry ? [lot, expiry] : [lot]) {
    line(t, top, lineSize(doc, "Sans", t, TEXT_WIDTH, l.info));
    top += l.info * 1.25;
  }
  top = HEIGHT - MARGIN - l.call.lines.length * l.call.size * 1.4;
  for (const t of l.call.lines) {
    line(t, top, l.call.size, ' fill="#166534"');
    top += l.call.size * 1.4;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff" stroke="#000" stroke-width="2"/>`,
    qrPath(input.url, MARGIN, MARGIN, QR_BOX),
    `<g font-family="DejaVu Sans, Noto Sans, Arial, sans-serif" fill="#111">${texts.join("")}</g>`,
    `</svg>`,
  ].join("");
}

const require = createRequire(import.meta.url);
let fontFiles: string[] | undefined;
/** DejaVu Sans regular and bold, shipped by the dejavu-fonts-ttf package. */
export function bundledFonts(): string[] {
  if (!fontFiles) {
    const dir = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
    fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => dir + f).filter((f) => fs.existsSync(f));
  }
  return fontFiles;
}

export function labelPng(input: LabelInput, scale = 2): Buffer {
  const resvg = new Resvg(labelSvg(input), {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: false, fontFiles: bundledFonts(), defaultFontFamily: "DejaVu Sans" },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}
