import { Prisma, type Batch, type Inspection, type TraceCode, type TraceStory } from "@prisma/client";
import { prisma } from "~/db.server";

// What a scan reads first: its code, the batch's view version and the stored story, in one
// statement. Row types come from the generated client, so they follow the schema.
export type StoredStory = Pick<TraceStory, "version" | "json" | "builtAt">;
/**
 * What the verdict rests on, read from the rows on every scan (not from the stored story, which
 * nothing but this comparison binds): status and hold, the latest inspection, the open recall,
 * the product's verified certificates in force.
 */
export type LiveLotState = Pick<Batch, "status" | "holdReason" | "holdUntil"> & {
  inspectionId: string | null;
  inspectionResult: Inspection["result"] | null;
  recallOpenedAt: Date | null;
  verifiedCertificates: number;
  topStars: number;
};
export type CodeRow = Pick<TraceCode, "id" | "code" | "kind" | "serial" | "status" | "scanCount" | "firstScannedAt" | "batchId"> &
  Pick<Batch, "viewVersion"> & { hasPin: boolean; flagged: boolean; stored: StoredStory | null; lot: LiveLotState };
// What the driver hands back before it is normalised: counts may arrive as bigint, times as text.
type CodeRowRaw = Omit<CodeRow, "stored" | "firstScannedAt" | "scanCount" | "viewVersion" | "lot"> & {
  lotStatus: Batch["status"];
  holdReason: string | null;
  holdUntil: Date | string | null;
  inspectionId: string | null;
  inspectionResult: Inspection["result"] | null;
  recallOpenedAt: Date | string | null;
  verifiedCertificates: number | bigint;
  topStars: number | bigint | null;
  scanCount: number | bigint;
  viewVersion: number | bigint;
  firstScannedAt: Date | string | null;
  storyVersion: number | bigint | null;
  storyJson: string | null;
  storyBuiltAt: Date | string | null;
};
export type CodeWhere = { codes: string[] } | { batchId: string } | { gtin: string; lot: string; serial: string };

// Raw SQL (quoted identifiers, one join) because this runs on every scan and the query
// builder's planning costs more than the lookup itself. `flagged`: an open "copied label"
// flag (many distinct clients, or far apart), one index probe in the same statement.
export async function codeRows(where: CodeWhere): Promise<CodeRow[]> {
  const select = Prisma.sql`SELECT c."id", c."code", c."kind", c."serial", c."status", c."scanCount", c."firstScannedAt", c."batchId", b."viewVersion",
      (c."pinHash" IS NOT NULL) AS "hasPin",
      (c."kind" = 'UNIT' AND EXISTS (SELECT 1 FROM "CounterfeitFlag" f WHERE f."codeId" = c."id" AND f."rule" IN ('SCAN_COUNT', 'DISTANCE') AND f."resolvedAt" IS NULL)) AS "flagged",
      s."version" AS "storyVersion", s."json" AS "storyJson", s."builtAt" AS "storyBuiltAt",
      b."status" AS "lotStatus", b."holdReason", b."holdUntil",
      li."id" AS "inspectionId", li."result" AS "inspectionResult",
      (SELECT r."createdAt" FROM "Recall" r WHERE r."batchId" = c."batchId" AND r."status" = 'OPEN' ORDER BY r."createdAt" DESC LIMIT 1) AS "recallOpenedAt",
      vc."n" AS "verifiedCertificates", vc."top" AS "topStars"
    FROM "TraceCode" c JOIN "Batch" b ON b."id" = c."batchId" LEFT JOIN "TraceStory" s ON s."batchId" = c."batchId"
      LEFT JOIN LATERAL (SELECT i."id", i."result" FROM "Inspection" i WHERE i."batchId" = c."batchId" ORDER BY i."inspectedAt" DESC LIMIT 1) li ON true
      CROSS JOIN LATERAL (SELECT count(*) AS "n", max(oc."stars") AS "top" FROM "OcopCertificate" oc
        WHERE oc."productId" = b."productId" AND oc."verification" = 'VERIFIED' AND oc."revokedAt" IS NULL) vc`;
  const rows = await prisma.$queryRaw<CodeRowRaw[]>(
    "codes" in where
      ? Prisma.sql`${select} WHERE c."code" = ANY(${where.codes}::text[])`
      : "batchId" in where
        ? Prisma.sql`${select} WHERE c."batchId" = ${where.batchId} AND c."kind" = 'BATCH' LIMIT 1`
        : Prisma.sql`${select} JOIN "Product" p ON p."id" = b."productId"
            WHERE p."gtin" = ${where.gtin} AND b."lotCode" = ${where.lot} AND c."kind" = 'UNIT' AND c."serial" = ${where.serial}`,
  );
  return rows.map(
    ({
      storyVersion,
      storyJson,
      storyBuiltAt,
      lotStatus,
      holdReason,
      holdUntil,
      inspectionId,
      inspectionResult,
      recallOpenedAt,
      verifiedCertificates,
      topStars,
      ...r
    }) => ({
      ...r,
      lot: {
        status: lotStatus,
        holdReason,
        holdUntil: holdUntil === null ? null : new Date(holdUntil),
        inspectionId,
        inspectionResult,
        recallOpenedAt: recallOpenedAt === null ? null : new Date(recallOpenedAt),
        verifiedCertificates: Number(verifiedCertificates),
        topStars: Number(topStars ?? 0),
      },
      scanCount: Number(r.scanCount),
      viewVersion: Number(r.viewVersion),
      firstScannedAt: r.firstScannedAt === null ? null : new Date(r.firstScannedAt),
      stored:
        storyVersion === null || storyJson === null || storyBuiltAt === null
          ? null
          : { version: Number(storyVersion), json: storyJson, builtAt: new Date(storyBuiltAt) },
    }),
  );
}
