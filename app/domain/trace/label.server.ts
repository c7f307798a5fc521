import fs from "node:fs";
import { createRequire } from "node:module";
import QRCode from "qrcode";
import { Resvg } from "@resvg/resvg-js";

// A product label: QR on the left, product name, lot and the call to scan on
// the right. Built once as SVG; the PNG is that SVG rasterised with a bundled
// font (DejaVu Sans has every Vietnamese letter), so both look the same.

export type LabelInput = { url: string; productName: string; lotCode: string; callToScan: string; lotLabel: string };

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

/**
 * Greedy word wrap by DejaVu Sans's average glyph width (≈0.6 em regular, ≈0.68 em bold);
 * long words are cut rather than overflow.
 */
function wrap(text: string, fontSize: number, width: number, maxLines: number, emWidth: number): string[] {
  const perLine = Math.max(4, Math.floor(width / (fontSize * emWidth)));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= perLine) line = candidate;
    else {
      if (line) lines.push(line);
      line = word.length > perLine ? word.slice(0, perLine) : word;
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, perLine - 1)}…`;
    return kept;
  }
  return lines;
}

export function labelSvg(input: LabelInput): string {
  const nameLines = wrap(input.productName, 24, TEXT_WIDTH, 3, 0.66);
  const callLines = wrap(input.callToScan, 17, TEXT_WIDTH, 2, 0.57);
  let y = MARGIN + 40;
  const texts: string[] = [];
  for (const l of nameLines) {
    texts.push(`<text x="${TEXT_X}" y="${y}" font-size="24" font-weight="bold">${escapeXml(l)}</text>`);
    y += 30;
  }
  y += 12;
  texts.push(`<text x="${TEXT_X}" y="${y}" font-size="20">${escapeXml(input.lotLabel)}: ${escapeXml(input.lotCode)}</text>`);
  y = HEIGHT - MARGIN - 16 - (callLines.length - 1) * 24;
  for (const l of callLines) {
    texts.push(`<text x="${TEXT_X}" y="${y}" font-size="17" fill="#166534">${escapeXml(l)}</text>`);
    y += 24;
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
