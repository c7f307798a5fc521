import type { Batch, BatchInput, Inspection, OcopCertificate, Producer, Product, Recall, TraceCode, User } from "@prisma/client";
import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import type { LogProblem } from "~/domain/log/log-problems";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { leafHash } from "~/domain/log/merkle";
import type { LabResult } from "~/domain/inspection/inspection-rules";
import { batchTimeline } from "./events.server";
import type { BoundLeaf } from "./log-binding.server";

// What a shopper sees after scanning, read from the rows: public facts only (no contact
// details, no stock). The same for every code on the batch; cached by story-cache.server.ts.
type Dateish = Date | string;
/** Columns as the driver may hand them back from raw SQL: times as Date or text, counts as number or bigint. */
type AsRead<T> = {
  [K in keyof T]: T[K] extends Date ? Dateish : T[K] extends Date | null ? Dateish | null : T[K] extends number ? number | bigint : T[K];
};

// Row types from the generated client (renamed columns by their model's field), so a schema change shows here.
type StoryRow = Pick<Batch, "id" | "lotCode" | "productionArea" | "status" | "holdReason"> &
  AsRead<Pick<Batch, "producedAt" | "expiresAt" | "quantity" | "holdUntil">> & {
    productId: Product["id"];
    productName: Product["name"];
    ocopGroup: Product["ocopGroup"] | bigint;
    unit: Product["unit"];
    description: Product["description"];
    gtin: Product["gtin"];
    listingStatus: Product["listingStatus"];
    photo: string | null;
    producerId: Producer["id"];
    producerName: Producer["name"];
    producerStatus: Producer["status"];
    producerType: Producer["type"];
  } & Pick<Producer, "wardCode" | "provinceCode" | "story" | "latitude" | "longitude"> & { unverifiedClaims: number | bigint };
type CertificateRow = Pick<OcopCertificate, "level" | "decisionNumber" | "verifierOffice"> &
  AsRead<Pick<OcopCertificate, "stars" | "decisionDate" | "validUntil" | "revokedAt" | "verifiedAt">> & { verification: "VERIFIED" };
type RecallRow = Pick<Recall, "reason" | "instructions"> & AsRead<Pick<Recall, "severity" | "createdAt">>;
type InspectionRow = Pick<Inspection, "id" | "result" | "labResults" | "condition"> &
  AsRead<Pick<Inspection, "inspectedAt" | "conditionDue">> & { inspector: User["name"] };
type SourceRow = AsRead<Pick<BatchInput, "quantity">> & {
  lotCode: Batch["lotCode"];
  productName: Product["name"];
  unit: Product["unit"];
  code: TraceCode["code"] | null;
};

const toDate = (v: Dateish) => new Date(v);
const toDateOrNull = (v: Dateish | null) => (v === null ? null : new Date(v));

export async function readBatchStory(batchId: string) {
  const [row] = await prisma.$queryRaw<StoryRow[]>`
    SELECT b."id", b."lotCode", b."producedAt", b."expiresAt", b."quantity", b."productionArea", b."status", b."holdReason", b."holdUntil",
      p."id" AS "productId", p."name" AS "productName", p."ocopGroup", p."unit", p."description", p."gtin", p."listingStatus",
      (SELECT i."storageKey" FROM "ProductImage" i WHERE i."productId" = p."id" ORDER BY i."position" ASC LIMIT 1) AS "photo",
      pr."id" AS "producerId", pr."name" AS "producerName", pr."status" AS "producerStatus", pr."type" AS "producerType", pr."wardCode", pr."provinceCode", pr."story", pr."latitude", pr."longitude",
      (SELECT count(*) FROM "OcopCertificate" c WHERE c."productId" = p."id" AND c."verification" <> 'VERIFIED' AND c."revokedAt" IS NULL) AS "unverifiedClaims"
    FROM "Batch" b JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId"
    WHERE b."id" = ${batchId}`;
  if (!row) throw new Error(`batch ${batchId} vanished`);
  const [season, certificates, recalls, inspections, log, sources] = await Promise.all([
    batchTimeline(batchId),
    // Only certificates an OCOP officer verified (ADR 016): a producer's claim never reaches the public view.
    prisma.$queryRaw<CertificateRow[]>`
      SELECT "stars", "level", "decisionNumber", "decisionDate", "validUntil", "revokedAt", "verification", "verifierOffice", "verifiedAt" FROM "OcopCertificate"
      WHERE "productId" = ${row.productId} AND "verification" = 'VERIFIED'`,
    prisma.$queryRaw<RecallRow[]>`
      SELECT "reason", "instructions", "severity", "createdAt" FROM "Recall" WHERE "batchId" = ${batchId} AND "status" = 'OPEN' ORDER BY "createdAt" DESC LIMIT 1`,
    prisma.$queryRaw<InspectionRow[]>`
      SELECT i."id", i."result", i."inspectedAt", i."labResults", i."condition", i."conditionDue", u."name" AS "inspector" FROM "Inspection" i JOIN "User" u ON u."id" = i."inspectorId"
      WHERE i."batchId" = ${batchId} ORDER BY i."inspectedAt" DESC LIMIT 1`,
    verifyBatchLog(batchId),
    prisma.$queryRaw<SourceRow[]>`
      SELECT bi."quantity", sb."lotCode", sp."name" AS "productName", sp."unit",
        (SELECT c."code" FROM "TraceCode" c WHERE c."batchId" = sb."id" AND c."kind" = 'BATCH' LIMIT 1) AS "code"
      FROM "BatchInput" bi JOIN "Batch" sb ON sb."id" = bi."sourceBatchId" JOIN "Product" sp ON sp."id" = sb."productId"
      WHERE bi."outputBatchId" = ${batchId}`,
  ]);
  const recall = recalls[0];
  const inspection = inspections[0];
  return {
    batch: {
      id: row.id,
      lotCode: row.lotCode,
      producedAt: toDate(row.producedAt),
      expiresAt: toDateOrNull(row.expiresAt),
      quantity: Number(row.quantity),
      productionArea: row.productionArea,
      status: row.status,
      holdReason: row.holdReason,
      holdUntil: toDateOrNull(row.holdUntil),
      product: {
        id: row.productId,
        name: row.productName,
        ocopGroup: Number(row.ocopGroup),
        unit: row.unit,
        description: row.description,
        gtin: row.gtin,
        listingStatus: row.listingStatus,
        // Certificates the producer declared that no OCOP officer has verified (pending or rejected): the verdict says so.
        unverifiedClaims: Number(row.unverifiedClaims),
        // The trace page links to the shop only while the product can be bought.
        forSale: row.listingStatus === "LISTED" && row.producerStatus === "APPROVED" && row.status === "ACTIVE",
        images: row.photo ? [{ storageKey: row.photo }] : [],
        certificates: certificates.map((c) => ({
          ...c,
          stars: Number(c.stars),
          decisionDate: toDate(c.decisionDate),
          validUntil: toDate(c.validUntil),
          revokedAt: toDateOrNull(c.revokedAt),
          verifiedAt: toDateOrNull(c.verifiedAt),
        })),
        producer: {
          // Only an approved producer has a public page to link to (a story saved before this field has none).
          id: row.producerStatus === "APPROVED" ? row.producerId : (null as string | null),
          name: row.producerName,
          type: row.producerType,
          wardCode: row.wardCode,
          provinceCode: row.provinceCode,
          story: row.story,
          latitude: row.latitude,
          longitude: row.longitude,
        },
      },
    },
    location: describeLocation(row.wardCode, row.provinceCode),
    // The public page shows when things happened; the phone's and the server's clocks are for producers and inspectors.
    season: season.map(({ capturedAt: _captured, receivedAt: _received, ...e }) => e),
    recall: recall ? { ...recall, severity: Number(recall.severity), createdAt: toDate(recall.createdAt) } : null,
    inspection: inspection
      ? {
          ...inspection,
          inspectedAt: toDate(inspection.inspectedAt),
          conditionDue: toDateOrNull(inspection.conditionDue ?? null),
          labResults: JSON.parse(inspection.labResults ?? "[]") as LabResult[],
        }
      : null,
    log: publicLogView(log),
    sources: sources.map((s) => ({ ...s, quantity: Number(s.quantity) })),
  };
}

export type BatchStory = Awaited<ReturnType<typeof readBatchStory>>;

/** `leaves`: the lot's leaves this view was checked against, compared with the log's each time the page is shown (log-binding.server.ts). */
export type TraceLogView = {
  ok: boolean;
  size: number | null;
  pending: number;
  eventIndex: Record<string, number | null>;
  problems: LogProblem[];
  leaves: BoundLeaf[];
};

/** What the trace page shows of the public log: each event's index (null: not in yet), any failure named, and the leaves it was checked against. */
function publicLogView(verdict: Awaited<ReturnType<typeof verifyBatchLog>>): TraceLogView {
  const eventIndex: Record<string, number | null> = {};
  for (const e of verdict.entries) if (e.type === "TraceEvent") eventIndex[e.recordId] = e.index;
  const leaves = verdict.entries.flatMap((e) =>
    e.index === null
      ? []
      : [{ type: e.type, recordId: e.recordId, index: e.index, hash: leafHash(Buffer.from(e.leaf, "utf8")).toString("base64") }],
  );
  return {
    ok: verdict.ok,
    size: verdict.checkpoint?.size ?? null,
    pending: verdict.pending,
    eventIndex,
    problems: verdict.problems,
    leaves,
  };
}
