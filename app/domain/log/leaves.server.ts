import canonicalize from "canonicalize";
import type { Batch, Inspection, OcopCertificate, Prisma, Recall, TraceEvent } from "@prisma/client";
import { markTraceViewsStale } from "~/domain/trace/view-version.server";

// What goes into the public log: one leaf per fact, the RFC 8785 canonical JSON of the
// record as stored. The same functions make a leaf when the record is written and again
// from the current row when it is verified: an edited row no longer gives its leaf.
// Facts with no row of their own (holds, releases, activations) are their leaf; what
// they imply (the batch's status) is checked against the log instead (verify.server.ts).

export type LeafType =
  | "Batch" | "TraceEvent" | "Inspection" | "Recall" | "RecallClosed" | "Certificate" | "CertificateRevoke"
  | "Hold" | "Release" | "CodeActivate" | "CodeVoid";

export type Leaf = { type: LeafType; recordId: string; batchId: string | null; productId: string | null; leaf: string };

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("log record cannot be serialised");
  return text;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function batchLeaf(b: Pick<Batch, "id" | "productId" | "lotCode" | "producedAt" | "expiresAt" | "quantity" | "productionArea" | "createdById" | "createdAt">): Leaf {
  const record = { type: "Batch", id: b.id, productId: b.productId, lotCode: b.lotCode, producedAt: iso(b.producedAt), expiresAt: iso(b.expiresAt), quantity: b.quantity, productionArea: b.productionArea, createdById: b.createdById, createdAt: iso(b.createdAt) };
  return { type: "Batch", recordId: b.id, batchId: b.id, productId: b.productId, leaf: canonicalJson(record) };
}

/** The leaf of an event (the clientKey plays no part; capturedAt only when set). */
export function traceEventLeaf(e: Omit<TraceEvent, "clientKey" | "capturedAt"> & { capturedAt?: Date | null }): Leaf {
  const record = {
    type: "TraceEvent", id: e.id, batchId: e.batchId, kind: e.kind, occurredAt: iso(e.occurredAt), place: e.place, actorName: e.actorName,
    data: JSON.parse(e.data) as unknown, correctsId: e.correctsId, phiFlag: e.phiFlag, recordedById: e.recordedById, createdAt: iso(e.createdAt),
    // The phone's clock for an event recorded offline; absent otherwise, so every leaf written
    // before offline capture keeps its bytes. (The clientKey is plumbing, not a fact: not logged.)
    ...(e.capturedAt ? { capturedAt: iso(e.capturedAt) } : {}),
  };
  return { type: "TraceEvent", recordId: e.id, batchId: e.batchId, productId: null, leaf: canonicalJson(record) };
}

/** The record the platform signs for an inspection (its signature covers exactly this). */
export function inspectionRecord(i: Pick<Inspection, "id" | "batchId" | "inspectorId" | "result" | "notes" | "overrideReason" | "checklist" | "labResults" | "evidenceKeys" | "inspectedAt">) {
  return {
    type: "Inspection", id: i.id, batchId: i.batchId, inspectorId: i.inspectorId, result: i.result, notes: i.notes, overrideReason: i.overrideReason,
    checklist: JSON.parse(i.checklist) as unknown, labResults: JSON.parse(i.labResults) as unknown, evidenceKeys: JSON.parse(i.evidenceKeys) as unknown, inspectedAt: iso(i.inspectedAt),
  };
}

export function inspectionLeaf(i: Inspection): Leaf {
  return { type: "Inspection", recordId: i.id, batchId: i.batchId, productId: null, leaf: canonicalJson({ ...inspectionRecord(i), signingKeyId: i.signingKeyId, signature: i.signature }) };
}

export function recallLeaf(r: Recall): Leaf {
  const record = { type: "Recall", id: r.id, batchId: r.batchId, reason: r.reason, severity: r.severity, instructions: r.instructions, createdById: r.createdById, createdAt: iso(r.createdAt) };
  return { type: "Recall", recordId: r.id, batchId: r.batchId, productId: null, leaf: canonicalJson(record) };
}

export function recallClosedLeaf(r: Recall): Leaf {
  return { type: "RecallClosed", recordId: r.id, batchId: r.batchId, productId: null, leaf: canonicalJson({ type: "RecallClosed", id: r.id, batchId: r.batchId, closedAt: iso(r.closedAt), closeNote: r.closeNote }) };
}

export function certificateLeaf(c: OcopCertificate): Leaf {
  const record = {
    type: "Certificate", id: c.id, productId: c.productId, stars: c.stars, scoreA: c.scoreA, scoreB: c.scoreB, scoreC: c.scoreC, totalScore: c.totalScore, level: c.level,
    authority: c.authority, decisionNumber: c.decisionNumber, decisionDate: iso(c.decisionDate), validUntil: iso(c.validUntil), fileKey: c.fileKey, createdAt: iso(c.createdAt),
  };
  return { type: "Certificate", recordId: c.id, batchId: null, productId: c.productId, leaf: canonicalJson(record) };
}

export function certificateRevokeLeaf(c: OcopCertificate): Leaf {
  const record = { type: "CertificateRevoke", id: c.id, productId: c.productId, revokedAt: iso(c.revokedAt), revokedReason: c.revokedReason, revokedById: c.revokedById };
  return { type: "CertificateRevoke", recordId: c.id, batchId: null, productId: c.productId, leaf: canonicalJson(record) };
}

/** A hold or release of a batch: the leaf is the record (Batch.status must agree with it). */
export function batchStatusLeaf(type: "Hold" | "Release", batchId: string, reason: string, by: string, at: Date): Leaf {
  return { type, recordId: batchId, batchId, productId: null, leaf: canonicalJson({ type, batchId, reason, by, at: iso(at) }) };
}

export function codeActivateLeaf(batchId: string, count: number, by: string, at: Date): Leaf {
  return { type: "CodeActivate", recordId: batchId, batchId, productId: null, leaf: canonicalJson({ type: "CodeActivate", batchId, count, by, at: iso(at) }) };
}

/** One void of unit codes; rebuilt from the codes' voidedAt/voidReason/voidedById when verified. */
export function codeVoidLeaf(batchId: string, serials: string[], reason: string, by: string | null, at: Date): Leaf {
  const sorted = [...serials].sort();
  return { type: "CodeVoid", recordId: batchId, batchId, productId: null, leaf: canonicalJson({ type: "CodeVoid", batchId, serials: sorted, reason, by, at: iso(at) }) };
}

/**
 * Writes a leaf as pending, in the caller's transaction: the record and its leaf stand or
 * fall together. No lock and no shared row: the sequencer gives it its index later.
 */
export async function appendLeaf(tx: Prisma.TransactionClient, leaf: Leaf): Promise<void> {
  // A logged fact about a batch changes its public story: the trace page must re-read it.
  if (leaf.batchId) await markTraceViewsStale(tx, { batchId: leaf.batchId });
  else if (leaf.productId) await markTraceViewsStale(tx, { productId: leaf.productId });
  await tx.logLeaf.create({ data: { type: leaf.type, recordId: leaf.recordId, batchId: leaf.batchId, productId: leaf.productId, leaf: leaf.leaf } });
}
