import type { BatchStory } from "./batch-story.server";

// JSON with its Dates kept as Dates ({"$date": ms}); user text can never become an object.
export function storyToJson(story: BatchStory): string {
  return JSON.stringify(story, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : (value as unknown);
  });
}

// Every scan of a batch not in this process's LRU parses its stored story: a walk after a
// plain JSON.parse costs about a third of a reviver (which is called back for every value).
function reviveDates(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveDates(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.$date === "number" && Object.keys(record).length === 1) return new Date(record.$date);
  for (const key of Object.keys(record)) {
    const revived = reviveDates(record[key]);
    if (revived !== record[key])
      Object.defineProperty(record, key, { value: revived, enumerable: true, writable: true, configurable: true });
  }
  return record;
}

export function storyFromJson(json: string): BatchStory {
  return reviveDates(JSON.parse(json)) as BatchStory;
}
