import type { Batch, LogLeaf, OcopCertificate, Prisma, PrismaClient, TraceCode } from "@prisma/client";
import { prisma } from "~/db.server";
import { CompactRange, foldRange, inclusionPlan, leafHash, verifyInclusion } from "./merkle";
import { makeVerifier, parseCheckpointBody, parseNote, rawPublicKey, SIG_ED25519, verifyNoteSignature } from "./note";
import {
  batchLeaf,
  certificateLeaf,
  certificateRevokeLeaf,
  certificateVerificationLeaf,
  codeVoidLeaf,
  inspectionLeaf,
  leafVersion,
  recallClosedLeaf,
  recallLeaf,
  serialHash,
  traceEventLeaf,
  type Leaf,
  type LeafType,
  type LeafVersion,
} from "./leaves.server";
import { checkpointOfSize, latestCheckpoint, type StoredCheckpoint } from "./published-log.server";
import { MissingTreeError, TileSet } from "./tiles.server";
import { publicKeyFromSpki } from "~/domain/keys/signing-keys.server";

// Binding what is shown to what was logged. Each record's leaf is made again from its
// current row and compared with the logged leaf; logged leaves must be in the tree that
// the latest signed checkpoint commits to. Every failure is named: record type and id,
// leaf index, and what is wrong.

type Db = PrismaClient | Prisma.TransactionClient;

export type LogProblemKind =
  | "edited" // the record's row no longer gives its logged leaf
  | "deleted" // a logged record's row is gone
  | "missing" // a record with no leaf in the log
  | "leaf-changed" // the stored leaf no longer hashes to the tree's leaf hash
  | "not-in-tree" // its inclusion proof does not reach the checkpoint's root
  | "status" // the batch's status disagrees with its logged holds, releases and recalls
  | "truncated" // the log holds fewer leaves than a published checkpoint
  | "gap" // a leaf index is missing in the middle of the log
  | "checkpoint" // a checkpoint's signature fails, or the tree no longer gives its root
  | "no-checkpoint" // leaves were sequenced but no checkpoint covers them
  | "not-shown"; // in the log for this lot, but the page being shown leaves it out (trace/log-binding.server.ts)

export type LogProblem = { type: LeafType | "Log"; recordId: string; index: number | null; problem: LogProblemKind };
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

// LogLeaf.type is a plain text column: the log only ever writes the leaf types it knows.
type LeafRow = Pick<LogLeaf, "id" | "index" | "recordId" | "leaf"> & { type: LeafType };

type VoidedCode = Pick<TraceCode, "batchId" | "serial" | "voidReason" | "voidedAt" | "voidedById">;
/**
 * A record's leaf as its current row gives it, in either leaf version: a logged leaf is
 * compared with the row's leaf in the version it was written in (ADR 013).
 */
type ExpectedLeaf = { type: LeafType; recordId: string; leaf: (v: LeafVersion) => string };
type BatchRecords = { status: Batch["status"]; productId: string; leaves: ExpectedLeaf[]; voided: VoidedCode[]; logged: LeafRow[] };

const rowLeaf = (make: (v: LeafVersion) => Leaf): ExpectedLeaf => {
  const current = make(2);
  return { type: current.type, recordId: current.recordId, leaf: (v) => (v === 2 ? current.leaf : make(v).leaf) };
};

/**
 * For each batch: the leaves its current rows would give, its void codes, and its logged
 * leaves (its own, and its product's certificates'). A fixed number of queries for any
 * number of batches: the whole-log audit reads them a page at a time.
 */
async function batchRecords(db: Db, batchIds: string[]): Promise<Map<string, BatchRecords>> {
  const batches = await db.batch.findMany({ where: { id: { in: batchIds } } });
  const productIds = [...new Set(batches.map((b) => b.productId))];
  const ids = batches.map((b) => b.id);
  const [events, inspections, recalls, certificates, voided, logged, certificateFiles] = await Promise.all([
    db.traceEvent.findMany({ where: { batchId: { in: ids } } }),
    db.inspection.findMany({ where: { batchId: { in: ids } } }),
    db.recall.findMany({ where: { batchId: { in: ids } } }),
    db.ocopCertificate.findMany({ where: { productId: { in: productIds } } }),
    db.traceCode.findMany({
      where: { batchId: { in: ids }, status: "VOID", kind: "UNIT" },
      select: { batchId: true, serial: true, voidReason: true, voidedAt: true, voidedById: true },
    }),
    db.$queryRaw<(LeafRow & Pick<LogLeaf, "batchId" | "productId">)[]>`
      SELECT "id", "index", "type", "recordId", "leaf", "batchId", "productId" FROM "LogLeaf"
      WHERE "batchId" = ANY(${ids}::text[]) OR ("batchId" IS NULL AND "productId" = ANY(${productIds}::text[])) ORDER BY "id"`,
    // A certificate's leaf names its file by content hash: hashed where the bytes are, from what is stored now.
    db.$queryRaw<(Pick<OcopCertificate, "id"> & { sha256: string | null })[]>`
      SELECT c."id", encode(sha256(f."bytes"), 'hex') AS "sha256" FROM "OcopCertificate" c JOIN "StoredFile" f ON f."key" = c."fileKey"
      WHERE c."productId" = ANY(${productIds}::text[])`,
  ]);
  const fileOf = new Map(certificateFiles.map((f) => [f.id, f.sha256]));
  const out = new Map<string, BatchRecords>();
  for (const b of batches)
    out.set(b.id, { status: b.status, productId: b.productId, leaves: [rowLeaf((v) => batchLeaf(b, v))], voided: [], logged: [] });
  const of = (batchId: string) => out.get(batchId)!;
  for (const e of events) of(e.batchId).leaves.push(rowLeaf((v) => traceEventLeaf(e, v)));
  for (const i of inspections) of(i.batchId).leaves.push(rowLeaf((v) => inspectionLeaf(i, v)));
  for (const r of recalls) of(r.batchId).leaves.push(rowLeaf((v) => recallLeaf(r, v)));
  for (const r of recalls) if (r.closedAt) of(r.batchId).leaves.push(rowLeaf((v) => recallClosedLeaf(r, v)));
  for (const c of voided) of(c.batchId).voided.push(c);
  for (const b of out.values()) {
    for (const c of certificates) {
      if (c.productId !== b.productId) continue;
      // A file key whose file is gone hashes to nothing: the leaf no longer matches.
      b.leaves.push(rowLeaf((v) => certificateLeaf(c, c.fileKey ? (fileOf.get(c.id) ?? "missing-file") : null, v)));
      if (c.revokedAt) b.leaves.push(rowLeaf((v) => certificateRevokeLeaf(c, v)));
      // An officer's decision (ADR 016): a certificate marked VERIFIED or REJECTED with no leaf is "missing".
      if (c.verification !== "PENDING") b.leaves.push(rowLeaf(() => certificateVerificationLeaf(c)));
    }
  }
  for (const row of logged) {
    if (row.batchId) out.get(row.batchId)?.logged.push(row);
    else for (const b of out.values()) if (b.productId === row.productId) b.logged.push(row);
  }
  return out;
}

/**
 * Voids are checked code by code: each serial a CodeVoid leaf names must still be void with
 * that time, reason and person, and every void code must be named by one. (Two voids in the
 * same millisecond, on two instances, are two leaves: grouping codes back into acts cannot
 * tell them apart.)
 */
function voidProblems(batchId: string, logged: LeafRow[], voided: VoidedCode[]): LogProblem[] {
  const problems: LogProblem[] = [];
  const bySerial = new Map(voided.flatMap((c) => (c.serial ? [[c.serial, c] as const] : [])));
  // Version 2 leaves name units by serial hash.
  const byHash = new Map(voided.flatMap((c) => (c.serial ? [[serialHash(batchId, c.serial), c] as const] : [])));
  const covered = new Set<string>();
  for (const row of logged) {
    if (row.type !== "CodeVoid") continue;
    const v = leafVersion(row.leaf);
    const fact = JSON.parse(row.leaf) as { serials?: string[]; serialHashes?: string[]; reason: string; at: string };
    const named = v === 1 ? (fact.serials ?? []) : (fact.serialHashes ?? []);
    const codes = named.map((name) => (v === 1 ? bySerial : byHash).get(name));
    const found = codes.filter((c): c is VoidedCode => c !== undefined);
    // Each named code is still void, with that time and reason, by one and the same person...
    const by = found[0]?.voidedById ?? null;
    const holds =
      found.length === named.length &&
      found.every((c) => c.voidedAt?.toISOString() === fact.at && c.voidReason === fact.reason && c.voidedById === by);
    // ...and the leaf is exactly what codeVoidLeaf makes of those codes (the person included).
    const same =
      holds &&
      codeVoidLeaf(
        batchId,
        found.map((c) => c.serial!),
        fact.reason,
        by,
        new Date(fact.at),
        v,
      ).leaf === row.leaf;
    if (!same)
      problems.push({ type: "CodeVoid", recordId: row.recordId, index: row.index === null ? null : Number(row.index), problem: "edited" });
    for (const c of found) covered.add(c.serial!);
  }
  if ([...bySerial.keys()].some((serial) => !covered.has(serial)))
    problems.push({ type: "CodeVoid", recordId: batchId, index: null, problem: "missing" });
  return problems;
}

// Row-backed types are matched by record id; a void by its whole content (several per batch).
const keyOf = (l: { type: LeafType; recordId: string }) => `${l.type}:${l.recordId}`;
// Checked otherwise: holds and releases through the batch's status, voids code by code.
const NOT_ROW_BACKED: LeafType[] = ["Hold", "Release", "CodeActivate", "CodeVoid"];

function recordProblems(batchId: string, logged: LeafRow[], expected: ExpectedLeaf[], voided: VoidedCode[], status: string): LogProblem[] {
  const problems: LogProblem[] = voidProblems(batchId, logged, voided);
  const want = new Map(expected.map((l) => [keyOf(l), l]));
  const seen = new Set<string>();
  for (const row of logged) {
    if (NOT_ROW_BACKED.includes(row.type)) continue;
    const key = keyOf(row);
    seen.add(key);
    const index = row.index === null ? null : Number(row.index);
    const current = want.get(key);
    if (current && current.leaf(leafVersion(row.leaf)) === row.leaf) continue;
    // A revocation undone, a closed recall re-opened: edited; the record itself gone: deleted.
    const baseExists = expected.some((l) => l.recordId === row.recordId);
    problems.push({ type: row.type, recordId: row.recordId, index, problem: current || baseExists ? "edited" : "deleted" });
  }
  for (const [key, leaf] of want)
    if (!seen.has(key) && !problems.some((p) => p.recordId === leaf.recordId && p.type === leaf.type))
      problems.push({ type: leaf.type, recordId: leaf.recordId, index: null, problem: "missing" });
  // What the banner on the trace page says must be what the log says happened last.
  const statusFacts = logged.filter((r) => r.type === "Hold" || r.type === "Release" || r.type === "Recall");
  const recalled = statusFacts.some((r) => r.type === "Recall");
  const lastHold = statusFacts.filter((r) => r.type !== "Recall").at(-1);
  const held = lastHold?.type === "Hold";
  const statusOk = recalled ? status === "RECALLED" : status === "RECALLED" ? false : held ? status === "ON_HOLD" : status !== "ON_HOLD";
  if (!statusOk) {
    const last = statusFacts.at(-1);
    problems.push({
      type: last?.type ?? "Hold",
      recordId: logged[0]?.recordId ?? "",
      index: last?.index == null ? null : Number(last.index),
      problem: "status",
    });
  }
  return problems;
}

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
