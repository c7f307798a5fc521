// bench/open-data, the measured part (a process of its own, so its memory is the build's alone):
// loads the app's snapshot module, warms its connections, takes the RSS floor, then builds one
// day's snapshot while sampling RSS every 10 ms. Prints one JSON line for run.ts.
export {};
const { buildSnapshot } = await import("../../app/domain/open-data/snapshots.server");
const { prisma } = await import("../../app/db.server");
await prisma.$queryRaw`SELECT 1`;
(globalThis as { gc?: () => void }).gc?.();
const floor = process.memoryUsage().rss;
let peak = floor;
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 10);
const t0 = performance.now();
const result = await buildSnapshot(process.env.BENCH_DAY ?? "2026-12-07");
const ms = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const resources = (result.package?.resources ?? []).map((r) => ({ name: r.name, bytes: r.bytes }));
console.log(JSON.stringify({ built: result.built, ms, floor, peak, peakHeap, resources }));
await prisma.$disconnect();
