import crypto from "node:crypto";
import { canonicalJson } from "~/lib/canonical-json";
import type { Batch, Inspection, OcopCertificate, Prisma, Recall, TraceEvent } from "@prisma/client";

// What goes into the public log: one leaf per fact, the RFC 8785 canonical JSON of the
// record's public facts (no user ids, file keys or voided serials: see LeafVersion below). The same functions make a leaf when the record is written and again
// from the current row when it is verified: an edited row no longer gives its leaf.
// Facts with no row of their own (holds, releases, activations) are their leaf; what
// they imply (the batch's status) is checked against the log instead (record-checks.server.ts).

export type LeafType =
  | "Batch"
  | "TraceEvent"
  | "Inspection"
  | "Recall"
  | "RecallClosed"
  | "Certificate"
  | "CertificateRevoke"
  | "CertificateVerification"
  | "Hold"
  | "Release"
  | "CodeActivate"
  | "CodeVoid";

export type Leaf = { type: LeafType; recordId: string; batchId: string | null; productId: string | null; leaf: string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// Leaf versions (ADR 013). Version 1 leaves (no "v") are the record as stored, with internal
// user ids, a certificate's file key, an inspection's photo keys and voided units' serials.
// Version 2 leaves ("v": 2, the current version) carry none of these: an actor is a
// salted hash of its user id, a file its content hash (or, for inspection photos, a hash of
// its key), voided units a count and the hashes of their serials. Every leaf already in the
// log keeps its bytes: it is rebuilt in the shape it was written in (leafVersion of the
// logged leaf); new leaves are always written in the current version.
export type LeafVersion = 1 | 2;
export const LEAF_VERSION: LeafVersion = 2;

/** The version a logged leaf was written in: 2 when it says so, else 1 (leaves from before versions). */
export function leafVersion(leaf: string): LeafVersion {
  try {
    return (JSON.parse(leaf) as { v?: unknown }).v === 2 ? 2 : 1;
  } catch {
    return 1;
  }
}

const sha256 = (text: string | Uint8Array) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * Who did it, in a public leaf: SHA-256 over a fixed tag, the leaf's type, record and time,
 * and the internal user id. It binds the row (a changed user id gives another hash) and names
 * no one; the same person gives unrelated hashes in two leaves (the record and time differ).
 * Whoever knows a user id (the platform, an inspector with the database) can confirm it.
 */
export function actorRef(type: LeafType, recordId: string, at: Date | null, userId: string | null): string | null {
  return userId === null ? null : sha256(`ocop-trace/actor/v2\n${type}\n${recordId}\n${iso(at) ?? ""}\n${userId}`);
}

/** A unit's serial, in a public leaf: SHA-256 over a fixed tag, the batch id and the serial. */
export function serialHash(batchId: string, serial: string): string {
  return sha256(`ocop-trace/serial/v2\n${batchId}\n${serial}`);
}

/** A stored file's content hash (hex), as certificate leaves name their file. */
export function fileHash(bytes: Uint8Array): string {
  return sha256(bytes);
}

/** An upload's key, in a public leaf (inspection photos): a name that cannot be fetched. */
const keyHash = (key: string) => sha256(`ocop-trace/file-key/v2\n${key}`);

export function batchLeaf(
  b: Pick<Batch, "id" | "productId" | "lotCode" | "producedAt" | "expiresAt" | "quantity" | "productionArea" | "createdById" | "createdAt">,
  v: LeafVersion = LEAF_VERSION,
): Leaf {
  const base = {
    type: "Batch",
    id: b.id,
    productId: b.productId,
    lotCode: b.lotCode,
    producedAt: iso(b.producedAt),
    expiresAt: iso(b.expiresAt),
    quantity: b.quantity,
    productionArea: b.productionArea,
    createdAt: iso(b.createdAt),
  };
  const record =
    v === 1 ? { ...base, createdById: b.createdById } : { ...base, v, createdBy: actorRef("Batch", b.id, b.createdAt, b.createdById) };
  return { type: "Batch", recordId: b.id, batchId: b.id, productId: b.productId, leaf: canonicalJson(record) };
}

/** The leaf of an event (the clientKey plays no part; capturedAt only when set). */
export function traceEventLeaf(
  e: Omit<TraceEvent, "clientKey" | "capturedAt"> & { capturedAt?: Date | null },
  v: LeafVersion = LEAF_VERSION,
): Leaf {
  const base = {
    type: "TraceEvent",
    id: e.id,
    batchId: e.batchId,
    kind: e.kind,
    occurredAt: iso(e.occurredAt),
    place: e.place,
    actorName: e.actorName,
    data: JSON.parse(e.data) as unknown,
    correctsId: e.correctsId,
    phiFlag: e.phiFlag,
    createdAt: iso(e.createdAt),
    // The phone's clock for an event recorded offline; absent otherwise, so every leaf written
    // before offline capture keeps its bytes. (The clientKey is plumbing, not a fact: not logged.)
    ...(e.capturedAt ? { capturedAt: iso(e.capturedAt) } : {}),
  };
  const record =
    v === 1
      ? { ...base, recordedById: e.recordedById }
      : { ...base, v, recordedBy: actorRef("TraceEvent", e.id, e.createdAt, e.recordedById) };
  return { type: "TraceEvent", recordId: e.id, batchId: e.batchId, productId: null, leaf: canonicalJson(record) };
}

/**
 * The record the platform signs for an inspection (its signature covers exactly this): from
 * version 2 the public record (no inspector id, photo keys hashed), so anyone holding the leaf
 * can check the signature with the published key.
 */
export function inspectionRecord(
  i: Pick<
    Inspection,
    "id" | "batchId" | "inspectorId" | "result" | "notes" | "overrideReason" | "checklist" | "labResults" | "evidenceKeys" | "inspectedAt"
  > & { condition?: string | null; conditionDue?: Date | null },
  v: LeafVersion = LEAF_VERSION,
) {
  const base = {
    type: "Inspection",
    id: i.id,
    batchId: i.batchId,
    result: i.result,
    notes: i.notes,
    overrideReason: i.overrideReason,
    checklist: JSON.parse(i.checklist) as unknown,
    labResults: JSON.parse(i.labResults) as unknown,
    inspectedAt: iso(i.inspectedAt),
    // A conditional pass's condition and deadline; absent otherwise, so every earlier record keeps its bytes.
    ...(i.condition ? { condition: i.condition, conditionDue: iso(i.conditionDue ?? null) } : {}),
  };
  if (v === 1) return { ...base, inspectorId: i.inspectorId, evidenceKeys: JSON.parse(i.evidenceKeys) as unknown };
  return {
    ...base,
    v,
    inspector: actorRef("Inspection", i.id, i.inspectedAt, i.inspectorId),
    evidence: (JSON.parse(i.evidenceKeys) as string[]).map(keyHash),
  };
}

export function inspectionLeaf(i: Inspection, v: LeafVersion = LEAF_VERSION): Leaf {
  return {
    type: "Inspection",
    recordId: i.id,
    batchId: i.batchId,
    productId: null,
    leaf: canonicalJson({ ...inspectionRecord(i, v), signingKeyId: i.signingKeyId, signature: i.signature }),
  };
}

export function recallLeaf(r: Recall, v: LeafVersion = LEAF_VERSION): Leaf {
  const base = {
    type: "Recall",
    id: r.id,
    batchId: r.batchId,
    reason: r.reason,
    severity: r.severity,
    instructions: r.instructions,
    createdAt: iso(r.createdAt),
  };
  const record =
    v === 1 ? { ...base, createdById: r.createdById } : { ...base, v, createdBy: actorRef("Recall", r.id, r.createdAt, r.createdById) };
  return { type: "Recall", recordId: r.id, batchId: r.batchId, productId: null, leaf: canonicalJson(record) };
}

export function recallClosedLeaf(r: Recall, v: LeafVersion = LEAF_VERSION): Leaf {
  const record = {
    type: "RecallClosed",
    id: r.id,
    batchId: r.batchId,
    closedAt: iso(r.closedAt),
    closeNote: r.closeNote,
    ...(v === 1 ? {} : { v }),
  };
  return { type: "RecallClosed", recordId: r.id, batchId: r.batchId, productId: null, leaf: canonicalJson(record) };
}

/** `file`: the certificate file's content hash (fileHash), null when it has none; version 1 named the file by its key. */
export function certificateLeaf(c: OcopCertificate, file: string | null, v: LeafVersion = LEAF_VERSION): Leaf {
  const base = {
    type: "Certificate",
    id: c.id,
    productId: c.productId,
    stars: c.stars,
    scoreA: c.scoreA,
    scoreB: c.scoreB,
    scoreC: c.scoreC,
    totalScore: c.totalScore,
    level: c.level,
    authority: c.authority,
    decisionNumber: c.decisionNumber,
    decisionDate: iso(c.decisionDate),
    validUntil: iso(c.validUntil),
    createdAt: iso(c.createdAt),
  };
  const record = v === 1 ? { ...base, fileKey: c.fileKey } : { ...base, v, fileSha256: file };
  return { type: "Certificate", recordId: c.id, batchId: null, productId: c.productId, leaf: canonicalJson(record) };
}

export function certificateRevokeLeaf(c: OcopCertificate, v: LeafVersion = LEAF_VERSION): Leaf {
  const base = { type: "CertificateRevoke", id: c.id, productId: c.productId, revokedAt: iso(c.revokedAt), revokedReason: c.revokedReason };
  const record =
    v === 1
      ? { ...base, revokedById: c.revokedById }
      : { ...base, v, revokedBy: actorRef("CertificateRevoke", c.id, c.revokedAt, c.revokedById) };
  return { type: "CertificateRevoke", recordId: c.id, batchId: null, productId: c.productId, leaf: canonicalJson(record) };
}

/**
 * What the platform signs when an OCOP officer verifies or rejects a certificate (ADR 016):
 * the decision facts the officer checked against the document (number, date, stars, level,
 * score), the outcome, the office that vouches, the reason, when, and who as an actorRef.
 * Only written from version 2 on: there is no version 1 of it.
 */
export function certificateVerificationRecord(
  c: Pick<
    OcopCertificate,
    | "id"
    | "productId"
    | "stars"
    | "level"
    | "totalScore"
    | "decisionNumber"
    | "decisionDate"
    | "verification"
    | "verifiedAt"
    | "verifiedById"
    | "verifierOffice"
    | "verificationReason"
  >,
) {
  return {
    type: "CertificateVerification",
    v: 2,
    id: c.id,
    productId: c.productId,
    outcome: c.verification,
    decisionNumber: c.decisionNumber,
    decisionDate: iso(c.decisionDate),
    stars: c.stars,
    level: c.level,
    totalScore: c.totalScore,
    office: c.verifierOffice,
    reason: c.verificationReason,
    at: iso(c.verifiedAt),
    officer: actorRef("CertificateVerification", c.id, c.verifiedAt, c.verifiedById),
  };
}

/** The leaf of an officer's decision on a certificate: the signed record with its key id and signature. */
export function certificateVerificationLeaf(c: OcopCertificate): Leaf {
  return {
    type: "CertificateVerification",
    recordId: c.id,
    batchId: null,
    productId: c.productId,
    leaf: canonicalJson({ ...certificateVerificationRecord(c), signingKeyId: c.verificationKeyId, signature: c.verificationSignature }),
  };
}

/** A hold or release of a batch: the leaf is the record (Batch.status must agree with it). */
export function batchStatusLeaf(type: "Hold" | "Release", batchId: string, reason: string, by: string, at: Date): Leaf {
  return {
    type,
    recordId: batchId,
    batchId,
    productId: null,
    leaf: canonicalJson({ type, v: LEAF_VERSION, batchId, reason, by: actorRef(type, batchId, at, by), at: iso(at) }),
  };
}

export function codeActivateLeaf(batchId: string, count: number, by: string, at: Date): Leaf {
  return {
    type: "CodeActivate",
    recordId: batchId,
    batchId,
    productId: null,
    leaf: canonicalJson({
      type: "CodeActivate",
      v: LEAF_VERSION,
      batchId,
      count,
      by: actorRef("CodeActivate", batchId, at, by),
      at: iso(at),
    }),
  };
}

/**
 * One void of unit codes; rebuilt from the codes' voidedAt/voidReason/voidedById when verified.
 * Version 2 names the units by count and serial hashes (sorted), the person by actorRef.
 */
export function codeVoidLeaf(
  batchId: string,
  serials: string[],
  reason: string,
  by: string | null,
  at: Date,
  v: LeafVersion = LEAF_VERSION,
): Leaf {
  const record =
    v === 1
      ? { type: "CodeVoid", batchId, serials: [...serials].sort(), reason, by, at: iso(at) }
      : {
          type: "CodeVoid",
          v,
          batchId,
          units: serials.length,
          serialHashes: serials.map((s) => serialHash(batchId, s)).sort(),
          reason,
          by: actorRef("CodeVoid", batchId, at, by),
          at: iso(at),
        };
  return { type: "CodeVoid", recordId: batchId, batchId, productId: null, leaf: canonicalJson(record) };
}

/**
 * Writes a leaf as pending, in the caller's transaction: the record and its leaf stand or
 * fall together. No lock and no shared row: the sequencer gives it its index later.
 */
export async function appendLeaf(tx: Prisma.TransactionClient, leaf: Leaf): Promise<void> {
  // The app logs through trace/logged-facts.server.ts (logFact), which also marks the trace views stale.
  await tx.logLeaf.create({
    data: { type: leaf.type, recordId: leaf.recordId, batchId: leaf.batchId, productId: leaf.productId, leaf: leaf.leaf },
  });
}
