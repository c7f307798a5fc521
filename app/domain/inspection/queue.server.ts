import { z } from "zod";
import { BatchStatus, type Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { certificateStatus, expiryWarning, type Verification } from "~/domain/catalog/certificate";
import { OCOP_GROUPS } from "~/domain/catalog/ocop";
import { riskOf, RISK_REASONS, type RiskFacts } from "./risk";

export const QUEUE_PAGE = 20;

export const queueQuery = z.object({
  province: z.string().max(4).optional().catch(undefined),
  group: z.coerce
    .number()
    .refine((n) => (OCOP_GROUPS as readonly number[]).includes(n))
    .optional()
    .catch(undefined),
  status: z.nativeEnum(BatchStatus).optional().catch(undefined),
  reason: z.enum(RISK_REASONS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type QueueQuery = z.output<typeof queueQuery>;

function certificateFact(
  all: { validUntil: Date; revokedAt: Date | null; verification: Verification }[],
  now: Date,
): RiskFacts["certificate"] {
  // A certificate no officer has verified (ADR 016) is no certificate yet.
  const certs = all.filter((c) => c.verification === "VERIFIED");
  if (certs.length === 0) return "NONE";
  if (certs.some((c) => certificateStatus(c, now) === "ACTIVE" && expiryWarning(c, now) === null)) return "ACTIVE";
  if (certs.some((c) => certificateStatus(c, now) === "ACTIVE")) return "EXPIRING";
  return "EXPIRED";
}

/**
 * The batches of the inspector's provinces ranked by risk, with the reasons. Facts are
 * gathered in a fixed number of grouped queries, whatever the number of batches.
 */
export async function auditQueue(provinces: string[], query: QueueQuery, now = new Date()) {
  const inScope = query.province && provinces.includes(query.province) ? [query.province] : provinces;
  const where: Prisma.BatchWhereInput = {
    product: { producer: { provinceCode: { in: inScope } }, ...(query.group ? { ocopGroup: query.group } : {}) },
    ...(query.status ? { status: query.status } : {}),
  };
  const batches = await prisma.batch.findMany({
    where,
    select: {
      id: true,
      lotCode: true,
      status: true,
      producedAt: true,
      createdAt: true,
      // Set while the lot is held for a harvest inside the pre-harvest interval: the queue says until when.
      holdUntil: true,
      product: {
        select: {
          id: true,
          name: true,
          ocopGroup: true,
          listingStatus: true,
          producer: { select: { id: true, name: true, provinceCode: true } },
        },
      },
    },
  });
  const ids = batches.map((b) => b.id);
  const producerIds = [...new Set(batches.map((b) => b.product.producer.id))];
  const productIds = [...new Set(batches.map((b) => b.product.id))];
  const [flags, reports, phi, inspections, fails, producerBatches, certs] = await Promise.all([
    prisma.counterfeitFlag.groupBy({ by: ["batchId"], where: { batchId: { in: ids }, resolvedAt: null }, _count: { _all: true } }),
    prisma.consumerReport.groupBy({ by: ["batchId"], where: { batchId: { in: ids }, resolvedAt: null }, _count: { _all: true } }),
    prisma.traceEvent.groupBy({ by: ["batchId"], where: { batchId: { in: ids }, phiFlag: true }, _count: { _all: true } }),
    prisma.inspection.groupBy({ by: ["batchId"], where: { batchId: { in: ids } }, _count: { _all: true } }),
    prisma.inspection.groupBy({ by: ["batchId"], where: { batchId: { in: ids }, result: "FAIL" }, _count: { _all: true } }),
    prisma.batch.findMany({
      where: { product: { producerId: { in: producerIds } } },
      select: { id: true, createdAt: true, product: { select: { producerId: true } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    prisma.ocopCertificate.findMany({
      where: { productId: { in: productIds } },
      select: { productId: true, validUntil: true, revokedAt: true, verification: true },
    }),
  ]);
  const count = (rows: { batchId: string; _count: { _all: number } }[]) => new Map(rows.map((r) => [r.batchId, r._count._all]));
  const [flagsOf, reportsOf, phiOf, inspectionsOf, failsOf] = [count(flags), count(reports), count(phi), count(inspections), count(fails)];
  const rankOf = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const b of producerBatches) {
    const n = (seen.get(b.product.producerId) ?? 0) + 1;
    seen.set(b.product.producerId, n);
    rankOf.set(b.id, n);
  }
  const certsOf = new Map<string, { validUntil: Date; revokedAt: Date | null; verification: Verification }[]>();
  for (const c of certs) certsOf.set(c.productId, [...(certsOf.get(c.productId) ?? []), c]);

  const ranked = batches
    .map((b) => {
      const facts: RiskFacts = {
        openFlags: flagsOf.get(b.id) ?? 0,
        openReports: reportsOf.get(b.id) ?? 0,
        phiFlags: phiOf.get(b.id) ?? 0,
        producerBatchRank: rankOf.get(b.id) ?? 1,
        failedInspections: failsOf.get(b.id) ?? 0,
        inspections: inspectionsOf.get(b.id) ?? 0,
        listed: b.product.listingStatus === "LISTED",
        certificate: certificateFact(certsOf.get(b.product.id) ?? [], now),
      };
      return { ...b, facts, ...riskOf(facts) };
    })
    .filter((b) => !query.reason || b.reasons.includes(query.reason))
    .sort((a, b) => b.score - a.score || b.producedAt.getTime() - a.producedAt.getTime() || a.id.localeCompare(b.id));
  return {
    total: ranked.length,
    pages: Math.max(1, Math.ceil(ranked.length / QUEUE_PAGE)),
    batches: ranked.slice((query.page - 1) * QUEUE_PAGE, query.page * QUEUE_PAGE),
  };
}

/** Open consumer reports and counterfeit flags of a batch, for the inspector to resolve. */
export async function openSignals(batchId: string) {
  const [reports, flags] = await Promise.all([
    prisma.consumerReport.findMany({
      where: { batchId, resolvedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, kind: true, message: true, phone: true, photoKey: true, createdAt: true },
    }),
    prisma.counterfeitFlag.findMany({
      where: { batchId, resolvedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, rule: true, detail: true, createdAt: true, code: { select: { code: true, serial: true } } },
    }),
  ]);
  return { reports, flags };
}

export async function resolveSignal(batchId: string, kind: "report" | "flag", id: string, actorId: string, note: string): Promise<boolean> {
  const data = { resolvedAt: new Date(), resolvedById: actorId, resolutionNote: note };
  const done =
    kind === "report"
      ? await prisma.consumerReport.updateMany({ where: { id, batchId, resolvedAt: null }, data })
      : await prisma.counterfeitFlag.updateMany({ where: { id, batchId, resolvedAt: null }, data });
  return done.count === 1;
}
