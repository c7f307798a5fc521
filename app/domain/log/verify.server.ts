import type { LogLeaf, Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";
import { CompactRange, foldRange, inclusionPlan, leafHash, verifyInclusion } from "./merkle";
import { makeVerifier, parseCheckpointBody, parseNote, rawPublicKey, SIG_ED25519, verifyNoteSignature } from "./note";
import type { LeafType } from "./leaves.server";
import type { LogProblem } from "./log-problems";
import { checkpointOfSize, latestCheckpoint, type StoredCheckpoint } from "./published-log.server";
import { batchRecords, recordProblems, type LeafRow } from "./record-checks.server";
import { MissingTreeError, TileSet } from "./tiles.server";
import { publicKeyFromSpki } from "~/domain/keys/signing-keys.server";

// Binding what is shown to what was logged. Each record's leaf is made again from its
// current row and compared with the logged leaf; logged leaves must be in the tree that
// the latest signed checkpoint commits to. Every failure is named: record type and id,
// leaf index, and what is wrong.

type Db = PrismaClient | Prisma.TransactionClient;

export type LoggedEntry = { type: LeafType; recordId: string; index: number | null; leaf: string };
/** `proofs`: each logged leaf's audit path against `checkpoint`, by leaf index (none where the stored tree lacks it). */
export type BatchLogVerdict = {
  ok: boolean;
  checkpoint: StoredCheckpoint | null;
  entries: LoggedEntry[];
  pending: number;
  problems: LogProblem[];
  proofs: Map<number, Buffer[]>;
};

/** The latest checkpoint, if its signature holds with the log key that signed it. */
async function checkpointSignatureOk(db: Db, checkpoint: { body: string; signature: string; keyId: string }): Promise<boolean> {
  const key = await db.signingKey.findUnique({ where: { id: checkpoint.keyId }, select: { publicKey: true, purpose: true } });
  const parsed = parseCheckpointBody(checkpoint.body);
  const note = parseNote(`${checkpoint.body}\n${checkpoint.signature}`);
  if (!key || key.purpose !== "log" || !parsed || !note) return false;
  return verifyNoteSignature(note, makeVerifier(parsed.origin, SIG_ED25519, rawPublicKey(publicKeyFromSpki(key.publicKey))));
}

/** Are these sequenced leaves in the tree the checkpoint commits to, unchanged? */
async function treeProblems(
  db: Db,
  checkpoint: StoredCheckpoint,
  leaves: { type: LeafType | "Log"; recordId: string; index: number; leaf: string }[],
): Promise<{ problems: LogProblem[]; proofs: Map<number, Buffer[]> }> {
  const problems: LogProblem[] = [];
  const proofs = new Map<number, Buffer[]>();
  const [last] = await db.$queryRaw<
    { index: NonNullable<LogLeaf["index"]> }[]
  >`SELECT "index" FROM "LogLeaf" WHERE "index" IS NOT NULL ORDER BY "index" DESC LIMIT 1`;
  if (!last || Number(last.index) < checkpoint.size - 1)
    problems.push({ type: "Log", recordId: "", index: last ? Number(last.index) + 1 : 0, problem: "truncated" });
  if (!(await checkpointSignatureOk(db, checkpoint)))
    problems.push({ type: "Log", recordId: "", index: checkpoint.size, problem: "checkpoint" });
  const tiles = new TileSet(db);
  const plans = leaves.map((l) => inclusionPlan(l.index, checkpoint.size));
  await tiles.load([...plans.flat(2), ...leaves.map((l) => ({ level: 0, index: l.index }))]);
  for (const [i, l] of leaves.entries()) {
    // Other requests get the main thread between slices of a long lot.
    if (i > 0 && i % 100 === 0) await new Promise((r) => setImmediate(r));
    const hash = leafHash(Buffer.from(l.leaf, "utf8"));
    try {
      // The tree's own path, served to outsiders as it is even when the leaf no longer matches it.
      const path = plans[i]!.map((range) => foldRange(range.map((n) => tiles.hash(n))));
      proofs.set(l.index, path);
      if (!tiles.hash({ level: 0, index: l.index }).equals(hash)) {
        problems.push({ type: l.type, recordId: l.recordId, index: l.index, problem: "leaf-changed" });
        continue;
      }
      if (!verifyInclusion(l.index, checkpoint.size, hash, path, checkpoint.rootHash))
        problems.push({ type: l.type, recordId: l.recordId, index: l.index, problem: "not-in-tree" });
    } catch (e) {
      if (!(e instanceof MissingTreeError)) throw e;
      problems.push({ type: l.type, recordId: l.recordId, index: l.index, problem: "truncated" });
    }
  }
  return { problems, proofs };
}

/** Everything about one batch's history: its records against their leaves, and its leaves against the signed tree. */
export async function verifyBatchLog(batchId: string, db: Db = prisma, atSize?: number): Promise<BatchLogVerdict> {
  // The checkpoint first: a leaf sequenced after it is reported as pending, not as a failure.
  // atSize: against that checkpoint rather than the latest (lot-verdict.server.ts keeps a verdict per covering checkpoint).
  const checkpoint =
    atSize === undefined ? await latestCheckpoint(db) : ((await checkpointOfSize(atSize, db)) ?? (await latestCheckpoint(db)));
  const batch = (await batchRecords(db, [batchId])).get(batchId);
  if (!batch)
    return {
      ok: false,
      checkpoint,
      entries: [],
      pending: 0,
      problems: [{ type: "Batch", recordId: batchId, index: null, problem: "deleted" }],
      proofs: new Map(),
    };
  const { leaves: expected, voided, logged } = batch;
  const size = checkpoint?.size ?? 0;
  const inTree = logged
    .filter((r) => r.index !== null && Number(r.index) < size)
    .map((r) => ({ type: r.type, recordId: r.recordId, index: Number(r.index), leaf: r.leaf }));
  const problems = recordProblems(batchId, logged, expected, voided, batch.status);
  let proofs = new Map<number, Buffer[]>();
  if (checkpoint) {
    const tree = await treeProblems(db, checkpoint, inTree);
    problems.push(...tree.problems);
    proofs = tree.proofs;
  } else if (logged.some((r) => r.index !== null)) problems.push({ type: "Log", recordId: "", index: 0, problem: "no-checkpoint" });
  const entries = logged.map((r) => ({
    type: r.type,
    recordId: r.recordId,
    index: r.index !== null && Number(r.index) < size ? Number(r.index) : null,
    leaf: r.leaf,
  }));
  return { ok: problems.length === 0, checkpoint, entries, pending: entries.filter((e) => e.index === null).length, problems, proofs };
}

export type WholeLogVerdict = { ok: boolean; size: number; checkpoints: number; batches: number; problems: LogProblem[] };

/**
 * The auditor's check of the whole log: every leaf in index order against the tree, every
 * checkpoint against the roots they give, then every batch's records against their leaves.
 * Memory stays flat (pages of leaves, a compact range of the tree).
 */
export async function verifyWholeLog(db: Db = prisma, pageSize = 5000): Promise<WholeLogVerdict> {
  const problems: LogProblem[] = [];
  const checkpoints = await db.logCheckpoint.findMany({
    orderBy: { size: "asc" },
    select: { size: true, rootHash: true, body: true, signature: true, keyId: true },
  });
  const latest = checkpoints.at(-1);
  for (const c of checkpoints)
    if (!(await checkpointSignatureOk(db, c))) problems.push({ type: "Log", recordId: "", index: Number(c.size), problem: "checkpoint" });
  const roots = new Map(checkpoints.map((c) => [Number(c.size), Buffer.from(c.rootHash)]));
  const range = new CompactRange();
  let expectedIndex = 0;
  // After a gap the roots can no longer be recomputed; the leaves are still checked one by one.
  let gapFound = false;
  for (;;) {
    const page = await db.$queryRaw<LeafRow[]>`
      SELECT "id", "index", "type", "recordId", "leaf" FROM "LogLeaf" WHERE "index" >= ${expectedIndex} ORDER BY "index" LIMIT ${pageSize}`;
    if (page.length === 0) break;
    const tiles = new TileSet(db);
    await tiles.load(page.map((r) => ({ level: 0, index: Number(r.index) })));
    for (const row of page) {
      const index = Number(row.index);
      if (index !== expectedIndex) {
        problems.push({ type: "Log", recordId: "", index: expectedIndex, problem: "gap" });
        gapFound = true;
        expectedIndex = index;
      }
      const hash = leafHash(Buffer.from(row.leaf, "utf8"));
      let stored: Buffer | null = null;
      try {
        stored = tiles.hash({ level: 0, index });
      } catch (e) {
        if (!(e instanceof MissingTreeError)) throw e;
      }
      if (!stored || !stored.equals(hash)) problems.push({ type: row.type, recordId: row.recordId, index, problem: "leaf-changed" });
      expectedIndex += 1;
      if (gapFound) continue;
      range.append(hash);
      const root = roots.get(range.size);
      if (root && !root.equals(range.root())) problems.push({ type: "Log", recordId: "", index: range.size, problem: "checkpoint" });
    }
    if (page.length < pageSize) break;
  }
  if (latest && expectedIndex < Number(latest.size))
    problems.push({ type: "Log", recordId: "", index: expectedIndex, problem: "truncated" });
  if (latest && !gapFound && range.size >= Number(latest.size)) {
    // The proofs outsiders get come from the stored tiles: they must give the signed root too.
    try {
      if (!(await new TileSet(db).root(Number(latest.size))).equals(Buffer.from(latest.rootHash)))
        problems.push({ type: "Log", recordId: "", index: Number(latest.size), problem: "checkpoint" });
    } catch (e) {
      if (!(e instanceof MissingTreeError)) throw e;
      problems.push({ type: "Log", recordId: "", index: Number(latest.size), problem: "truncated" });
    }
  }
  let batches = 0;
  let after = "";
  for (;;) {
    const page = await db.batch.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: 200, select: { id: true } });
    const records = await batchRecords(
      db,
      page.map((b) => b.id),
    );
    for (const [id, b] of records) {
      // A product's certificate problems show under each of its batches: named once.
      for (const p of recordProblems(id, b.logged, b.leaves, b.voided, b.status))
        if (!problems.some((q) => q.type === p.type && q.recordId === p.recordId && q.problem === p.problem)) problems.push(p);
      batches += 1;
    }
    if (page.length < 200) break;
    after = page[page.length - 1]!.id;
  }
  // Leaves whose batch row is gone altogether.
  const orphans = await db.$queryRaw<
    { batchId: NonNullable<LogLeaf["batchId"]> }[]
  >`SELECT DISTINCT l."batchId" FROM "LogLeaf" l LEFT JOIN "Batch" b ON b."id" = l."batchId" WHERE l."batchId" IS NOT NULL AND b."id" IS NULL`;
  for (const o of orphans) problems.push({ type: "Batch", recordId: o.batchId, index: null, problem: "deleted" });
  return { ok: problems.length === 0, size: expectedIndex, checkpoints: checkpoints.length, batches, problems };
}
