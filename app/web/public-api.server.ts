import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import { badgeCertificate } from "~/domain/catalog/certificate";
import type { TraceView } from "~/domain/trace/trace-page.server";

// The open-data API's shapes: public facts only, stable field names, no internal ids
// except the ones the API itself addresses (product ids, batch ids for EPCIS).

export function apiJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": status === 200 ? "public, max-age=60" : "no-store",
    },
  });
}

export const apiError = (status: number, error: string) => apiJson({ error }, status);

export function traceJson(view: TraceView) {
  const { batch } = view;
  const { product } = batch;
  const producer = product.producer;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    code: view.code,
    kind: view.kind,
    serial: view.serial,
    status: view.status,
    product: {
      name: product.name,
      ocopGroup: product.ocopGroup,
      unit: product.unit,
      gtin: product.gtin,
      description: product.description,
      ocop:
        view.status === "ACTIVE" && view.badge
          ? {
              stars: view.badge.stars,
              level: view.badge.level,
              decisionNumber: view.badge.decisionNumber,
              validUntil: view.badge.validUntil.toISOString(),
            }
          : null,
    },
    producer: { name: producer.name, type: producer.type, ward: view.location.ward, province: view.location.province },
    batch: {
      id: batch.id,
      lotCode: batch.lotCode,
      producedAt: batch.producedAt.toISOString(),
      expiresAt: iso(batch.expiresAt),
      quantity: batch.quantity,
      status: batch.status,
      productionArea: batch.productionArea,
    },
    events: view.season.map((e) => ({
      logIndex: view.log.eventIndex[e.id] ?? null,
      id: e.id,
      kind: e.kind,
      occurredAt: e.occurredAt.toISOString(),
      place: e.place,
      data: e.data,
      correctsId: e.correctsId,
      correctedById: e.correctedById,
      preHarvestIntervalFlag: e.phiFlag,
    })),
    recall:
      view.status === "ACTIVE" && view.recall
        ? { reason: view.recall.reason, instructions: view.recall.instructions, since: view.recall.createdAt.toISOString() }
        : null,
    lastInspection:
      view.status === "ACTIVE" && view.inspection
        ? { result: view.inspection.result, inspectedAt: view.inspection.inspectedAt.toISOString() }
        : null,
    ledgerIntact: view.status === "ACTIVE" ? view.log.ok : null,
    // Where anyone can check the batch's history against the signed public log.
    log: {
      intact: view.log.ok,
      checkpointSize: view.log.size,
      pending: view.log.pending,
      entries: `/api/v1/batches/${batch.id}/log`,
      checkpoint: "/log/checkpoint",
    },
    scans: { count: view.scanCount, firstScannedAt: iso(view.firstScannedAt) },
  };
}

const productSelect = {
  id: true,
  name: true,
  ocopGroup: true,
  unit: true,
  priceVnd: true,
  gtin: true,
  description: true,
  createdAt: true,
  // Only what an OCOP officer verified (ADR 016) is ever read for the open data.
  certificates: {
    where: { verification: "VERIFIED" },
    select: { stars: true, level: true, decisionNumber: true, decisionDate: true, validUntil: true, revokedAt: true, verification: true },
  },
  producer: { select: { name: true, type: true, wardCode: true, provinceCode: true } },
} as const;

type ProductRow = Awaited<ReturnType<typeof findProductRows>>[number];
function findProductRows(args: { where: object; skip?: number; take?: number }) {
  return prisma.product.findMany({ ...args, orderBy: [{ createdAt: "desc" }, { id: "asc" }], select: productSelect });
}

function productJson(p: ProductRow) {
  const badge = badgeCertificate(p.certificates);
  const loc = describeLocation(p.producer.wardCode, p.producer.provinceCode);
  return {
    id: p.id,
    name: p.name,
    ocopGroup: p.ocopGroup,
    unit: p.unit,
    priceVnd: p.priceVnd,
    gtin: p.gtin,
    description: p.description,
    ocop: badge
      ? { stars: badge.stars, level: badge.level, decisionNumber: badge.decisionNumber, validUntil: badge.validUntil.toISOString() }
      : null,
    producer: {
      name: p.producer.name,
      type: p.producer.type,
      ward: loc.ward,
      province: loc.province,
      provinceCode: p.producer.provinceCode,
    },
  };
}

const publicProduct = { listingStatus: "LISTED" as const, producer: { status: "APPROVED" as const } };

export async function listProductsJson(q: { province?: string; group?: number; page: number; pageSize: number }) {
  const where = {
    ...publicProduct,
    ...(q.group ? { ocopGroup: q.group } : {}),
    ...(q.province ? { producer: { status: "APPROVED" as const, provinceCode: q.province } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.product.count({ where }),
    findProductRows({ where, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
  ]);
  return { items: rows.map(productJson), page: q.page, pageSize: q.pageSize, total };
}

export async function productJsonById(id: string) {
  const [row] = await findProductRows({ where: { id, ...publicProduct }, take: 1 });
  return row ? productJson(row) : null;
}

/** A batch is public once it has a code (it is on shelves) and its producer is approved. */
export async function isPublicBatch(batchId: string): Promise<boolean> {
  const n = await prisma.batch.count({ where: { id: batchId, codes: { some: {} }, product: { producer: { status: "APPROVED" } } } });
  return n === 1;
}
