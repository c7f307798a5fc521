import { Prisma, type LogLeaf } from "@prisma/client";
import { prisma } from "~/db.server";
import type { LeafType } from "~/domain/log/leaves.server";
import type { LogProblem } from "~/domain/log/log-problems";

// What the trace page shows comes from a cached story (an LRU, the TraceStory row). The story
// carries the leaves it was checked against (index, leaf hash); each time the page is shown,
// that list and the events on the page are compared with the lot's leaves as the log holds them
// now: one indexed query, the hashes read from the tree's bottom tiles (no proof, no hashing).
// A story that leaves out a logged event, names a leaf the log no longer holds, or holds a leaf
// the tree has changed, is shown red, each mismatch named (ADR 017).

/** A leaf the story was checked against: its index in the log and its RFC 6962 leaf hash (base64). */
export type BoundLeaf = { type: LeafType; recordId: string; index: number; hash: string };

type CurrentLeaf = { index: number; type: LeafType; recordId: string; hash: string | null };
/** A sequenced leaf (LogLeaf.type is text; the log writes only LeafType) and its hash in the tree's tile, base64. */
type LoggedLeafHashRow = Pick<LogLeaf, "recordId"> & { index: NonNullable<LogLeaf["index"]>; type: LeafType; hash: string | null };

/**
 * The lot's sequenced leaves as the log holds them now (its own, and its product's), with the
 * tree's hash of each. Two index probes: by batch, and by product among the leaves of no batch
 * (a partial index: an OR of the two let the planner scan every batch-less leaf of the log).
 */
export async function currentLotLeaves(batchId: string, productId: string): Promise<Map<number, CurrentLeaf>> {
  const rows = await prisma.$queryRaw<LoggedLeafHashRow[]>(Prisma.sql`
    SELECT l."index", l."type", l."recordId", encode(substring(t."hashes" FROM (l."index" % 256)::int * 32 + 1 FOR 32), 'base64') AS "hash"
    FROM (
      SELECT "index", "type", "recordId" FROM "LogLeaf" WHERE "batchId" = ${batchId} AND "index" IS NOT NULL
      UNION ALL
      SELECT "index", "type", "recordId" FROM "LogLeaf" WHERE "productId" = ${productId} AND "batchId" IS NULL AND "index" IS NOT NULL
    ) l LEFT JOIN "LogTile" t ON t."level" = 0 AND t."index" = l."index" / 256`);
  const out = new Map<number, CurrentLeaf>();
  for (const r of rows)
    out.set(Number(r.index), {
      index: Number(r.index),
      type: r.type,
      recordId: r.recordId,
      hash: r.hash && r.hash.length === 44 ? r.hash : null,
    });
  return out;
}

export type ShownStory = { batchId: string; leaves: BoundLeaf[]; events: { id: string }[]; eventIndex: Record<string, number | null> };

/**
 * What differs between what the page shows and what the log holds for the lot, each named by
 * record and leaf index. Empty when they agree.
 */
export function bindingProblems(shown: ShownStory, current: Map<number, CurrentLeaf>): LogProblem[] {
  const problems: LogProblem[] = [];
  const add = (p: LogProblem) => {
    if (!problems.some((q) => q.type === p.type && q.recordId === p.recordId && q.index === p.index && q.problem === p.problem))
      problems.push(p);
  };
  const known = new Set<number>();
  // Every leaf the story was checked against is still in the log, at its index, with its hash.
  for (const l of shown.leaves) {
    known.add(l.index);
    const now = current.get(l.index);
    if (!now) add({ type: l.type, recordId: l.recordId, index: l.index, problem: "missing" });
    else if (now.type !== l.type || now.recordId !== l.recordId || now.hash !== l.hash)
      add({ type: l.type, recordId: l.recordId, index: l.index, problem: "leaf-changed" });
  }
  // Every event shown with an index is that event's leaf.
  const shownEvents = new Set(shown.events.map((e) => e.id));
  for (const e of shown.events) {
    const index = shown.eventIndex[e.id];
    if (index === null || index === undefined) continue;
    const now = current.get(index);
    if (!now) add({ type: "TraceEvent", recordId: e.id, index, problem: "missing" });
    else if (now.type !== "TraceEvent" || now.recordId !== e.id)
      add({ type: "TraceEvent", recordId: e.id, index, problem: "leaf-changed" });
  }
  // Every leaf the log holds for the lot is one the story knows, and every logged event is shown at its index.
  for (const now of current.values()) {
    if (now.type === "TraceEvent") {
      if (!shownEvents.has(now.recordId) || shown.eventIndex[now.recordId] !== now.index)
        add({ type: "TraceEvent", recordId: now.recordId, index: now.index, problem: "not-shown" });
    } else if (!known.has(now.index)) add({ type: now.type, recordId: now.recordId, index: now.index, problem: "not-shown" });
  }
  return problems.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}
