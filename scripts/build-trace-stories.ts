// `npm run stories:build`: stores the public trace story of every batch that lacks a
// fresh one (see TraceStory). Scans build them on their own; run this after restoring a
// backup or loading data outside the app, so the first scans are as quick as the rest.
import { ensureDatabaseUrl } from "./database.mjs";

const stopDatabase = await ensureDatabaseUrl();
const { buildMissingTraceStories } = await import("../app/domain/trace/story-jobs.server");
const { prisma } = await import("../app/db.server");

const t0 = Date.now();
const built = await buildMissingTraceStories((n) => {
  if (n > 0 && n % 10_000 < 1000) console.log(`[ocop-trace] trace stories built: ${n.toLocaleString("en")}…`);
});
console.log(`[ocop-trace] built ${built.toLocaleString("en")} trace stories in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
await prisma.$disconnect();
await stopDatabase();
