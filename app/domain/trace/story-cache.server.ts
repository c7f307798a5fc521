import { LRUCache } from "lru-cache";
import { prisma } from "~/db.server";
import { readBatchStory, type BatchStory } from "./batch-story.server";
import type { StoredStory } from "./code-rows.server";
import { storyFromJson, storyToJson } from "./story-json";
import { enqueueStoryRebuild } from "./view-version.server";

// Two caches in front of readBatchStory, both keyed by Batch.viewVersion: this process's
// LRU, and the TraceStory row every process shares (one indexed row instead of eight
// queries). Every write to a lot's logged rows moves its viewVersion, from the app or from
// any SQL session (database triggers, ADR 017), and whatever story is shown is checked
// against the lot's leaves when it is shown (checkedStory). A stored story older than
// STORY_MAX_AGE_MS is rebuilt anyway, for what no trigger watches (a product's name).
export const STORY_MAX_AGE_MS = 60 * 60_000;
const stories = new LRUCache<string, { version: number; story: BatchStory }>({ max: 5_000, ttl: 60_000 });

export async function saveStory(batchId: string, version: number, story: BatchStory) {
  const data = { version, json: storyToJson(story), builtAt: new Date() };
  await prisma.traceStory.upsert({ where: { batchId }, create: { batchId, ...data }, update: data });
}

export const isFresh = (stored: { version: number; builtAt: Date } | null, version: number, now = Date.now()) =>
  stored !== null && stored.version === version && now - stored.builtAt.getTime() < STORY_MAX_AGE_MS;

export async function batchStory(batchId: string, version: number, stored: StoredStory | null): Promise<BatchStory> {
  const cached = stories.get(batchId);
  if (cached && cached.version === version) return cached.story;
  let story: BatchStory;
  const parsed = stored && isFresh(stored, version) ? storyFromJson(stored.json) : null;
  // A story stored before it carried its leaves (ADR 017) cannot be checked against the log: rebuilt.
  if (parsed && Array.isArray(parsed.log?.leaves)) {
    story = parsed;
  } else {
    story = await readBatchStory(batchId);
    // Stored by a job, not by this request: the page never waits on writing the story.
    await enqueueStoryRebuild(prisma, batchId);
  }
  stories.set(batchId, { version, story });
  return story;
}

/** Forgets this process's copy of one batch's story (it disagreed with the log). */
export function dropCachedStory(batchId: string) {
  stories.delete(batchId);
}

/** Drops cached batch stories: this process's only, or the stored ones too (tests that edit the database behind the app's back). */
export async function forgetTraceStories(scope: "process" | "everywhere" = "everywhere") {
  stories.clear();
  if (scope === "everywhere") await prisma.traceStory.deleteMany();
}
