import type { Batch, LogLeaf, OcopCertificate, Prisma, PrismaClient, TraceCode } from "@prisma/client";
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
import type { LogProblem } from "./log-problems";

// Each record's leaf is made again from its current row and compared with the logged leaf.

type Db = PrismaClient | Prisma.TransactionClient;

// LogLeaf.type is a plain text column: the log only ever writes the leaf types it knows.
export type LeafRow = Pick<LogLeaf, "id" | "index" | "recordId" | "leaf"> & { type: LeafType };

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
export async function batchRecords(db: Db, batchIds: string[]): Promise<Map<string, BatchRecords>> {
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

export function recordProblems(
  batchId: string,
  logged: LeafRow[],
  expected: ExpectedLeaf[],
  voided: VoidedCode[],
  status: string,
): LogProblem[] {
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
