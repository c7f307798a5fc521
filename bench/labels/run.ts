// bench/labels: the time to lay out 1,000 labels as a PDF sheet, against the
// floor of 1,000 bare QR SVGs (qrcode's own SVG output) for the same URLs,
// measured in the same run. Target: ratio ≤ 2×.
//   npm run bench:labels
import QRCode from "qrcode";
import { renderLabelSheet } from "../../app/domain/trace/label-sheet.server";
import { generateTraceCode } from "../../app/domain/trace/code.server";
import { generateSerial } from "../../app/domain/trace/unit-codes.server";
import { generatePin } from "../../app/domain/trace/pin.server";

const N = 1000;
const ROUNDS = 5;
const TARGET = 2;

const urls = Array.from({ length: N }, () => `https://ocop-trace.vn/t/${generateTraceCode()}`);
// Unit labels as a first print makes them: a random serial and a scratch PIN each.
const labels = urls.map((url) => ({
  url,
  productName: "Nước mắm Phú Quốc 40 độ đạm",
  producerName: "Công ty TNHH Nước mắm Khải Hoàn",
  expiresAt: new Date("2028-10-23"),
  lotCode: "NM-20261023-1",
  serial: generateSerial(),
  pin: generatePin(),
}));
const text = { lot: "Lô", serial: "Số", callToScan: "Quét để truy xuất nguồn gốc", pin: "Mã PIN", expiry: "HSD" };

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm up both paths once (JIT, font loading).
await renderLabelSheet(labels.slice(0, 50), "A4_24", text);
for (const u of urls.slice(0, 50)) await QRCode.toString(u, { type: "svg", errorCorrectionLevel: "M" });

const floor: number[] = [];
const sheets: Record<string, number[]> = { A4_24: [], A4_65: [], THERMAL_50x30: [] };
for (let r = 0; r < ROUNDS; r++) {
  floor.push(
    await time(async () => {
      for (const u of urls) await QRCode.toString(u, { type: "svg", errorCorrectionLevel: "M" });
    }),
  );
  for (const layout of Object.keys(sheets)) sheets[layout]!.push(await time(() => renderLabelSheet(labels, layout as "A4_24", text)));
}

const floorMs = median(floor);
console.log(`floor: ${N} bare QR SVGs: ${floorMs.toFixed(0)} ms (median of ${ROUNDS})`);
let worst = 0;
for (const [layout, ms] of Object.entries(sheets)) {
  const ratio = median(ms) / floorMs;
  worst = Math.max(worst, ratio);
  console.log(`${layout}: ${N} labels as PDF: ${median(ms).toFixed(0)} ms → ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET}×)`);
}
console.log(worst <= TARGET ? `PASS: worst ratio ${worst.toFixed(2)}×` : `OVER TARGET: worst ratio ${worst.toFixed(2)}×`);
process.exitCode = worst <= TARGET ? 0 : 1;
