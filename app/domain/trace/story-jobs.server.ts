import type { Batch, TraceStory } from "@prisma/client";
import { prisma } from "~/db.server";
import { readBatchStory } from "./batch-story.server";
import { isFresh, saveStory } from "./story-cache.server";

/** A batch and its stored story's version, as raw SQL hands them back (counts may be bigint, times text). */
type StoryStateRow = Pick<Batch, "id"> & {
  viewVersion: Batch["viewVersion"] | bigint;
  version: TraceStory["version"] | bigint | null;
  builtAt: TraceStory["builtAt"] | string | null;
};

/** The trace-story job: stores the batch's story as of its current view version. */
export async function rebuildTraceStory(batchId: string) {
  const batch = await prisma.batch.findUnique({ where: { id: batchId }, select: { viewVersion: true } });
  if (!batch) return;
  await saveStory(batchId, batch.viewVersion, await readBatchStory(batchId));
}

/**
 * Stores the story of every batch that has none, or a stale one: the state scans leave
 * behind. For databases written outside the app (bench/trace's synthetic seed, a restore).
 */
export async function buildMissingTraceStories(onProgress?: (built: number) => void, concurrency = 4): Promise<number> {
  let built = 0;
  let after = "";
  for (;;) {
    const page = await prisma.$queryRaw<StoryStateRow[]>`
      SELECT b."id", b."viewVersion", s."version", s."builtAt" FROM "Batch" b LEFT JOIN "TraceStory" s ON s."batchId" = b."id"
      WHERE b."id" > ${after} ORDER BY b."id" LIMIT 1000`;
    if (page.length === 0) return built;
    const stale = page.filter(
      (row) =>
        !isFresh(
          row.version === null || row.builtAt === null ? null : { version: Number(row.version), builtAt: new Date(row.builtAt) },
          Number(row.viewVersion),
        ),
    );
    // A few batches at a time: each story is eight small queries, mostly waiting on round trips.
    let next = 0;
    const worker = async () => {
      while (next < stale.length) {
        const row = stale[next++]!;
        await saveStory(row.id, Number(row.viewVersion), await readBatchStory(row.id));
        built += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    after = page[page.length - 1]!.id;
    onProgress?.(built);
  }
}
