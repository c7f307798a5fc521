import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import { normalizeTraceCode } from "./code.server";
import { batchTimeline } from "./events.server";
import { badgeCertificate } from "~/domain/catalog/certificate";
import { applyScanRules, isAutomatedRequest } from "./signals.server";
import { enqueueScan, onScansFlushed, pendingScans } from "./scan-buffer.server";
import { verifyBatchLedger } from "~/domain/ledger/ledger.server";

// What a shopper sees after scanning: public facts only (no contact details, no stock).
const traceSelect = {
  id: true,
  code: true,
  kind: true,
  serial: true,
  status: true,
  scanCount: true,
  firstScannedAt: true,
  batch: {
    select: {
      id: true,
      lotCode: true,
      producedAt: true,
      expiresAt: true,
      quantity: true,
      productionArea: true,
      status: true,
      product: {
        select: {
          name: true,
          ocopGroup: true,
          unit: true,
          description: true,
          gtin: true,
          images: { select: { storageKey: true }, orderBy: { position: "asc" as const }, take: 1 },
          certificates: { select: { stars: true, level: true, decisionNumber: true, decisionDate: true, validUntil: true, revokedAt: true } },
          producer: { select: { name: true, type: true, wardCode: true, provinceCode: true, story: true, latitude: true, longitude: true } },
        },
      },
    },
  },
} as const;

export async function findTraceView(rawCode: string) {
  const code = normalizeTraceCode(rawCode);
  if (!code) return null;
  return toView(await prisma.traceCode.findUnique({ where: { code }, select: traceSelect }));
}

async function toView(traceCode: Prisma.TraceCodeGetPayload<{ select: typeof traceSelect }> | null) {
  if (!traceCode) return null;
  const producer = traceCode.batch.product.producer;
  // ISSUED (not yet on a product) and VOID codes get a warning, never the origin story.
  const season = traceCode.status === "ACTIVE" ? await batchTimeline(traceCode.batch.id) : [];
  // Stars only from an ACTIVE certificate: an expired or revoked one never shows a badge.
  const badge = badgeCertificate(traceCode.batch.product.certificates);
  const batchId = traceCode.batch.id;
  const [recall, inspection, ledger, sources] = await Promise.all([
    prisma.recall.findFirst({ where: { batchId, status: "OPEN" }, orderBy: { createdAt: "desc" }, select: { reason: true, instructions: true, severity: true, createdAt: true } }),
    prisma.inspection.findFirst({ where: { batchId }, orderBy: { inspectedAt: "desc" }, select: { result: true, inspectedAt: true, inspector: { select: { name: true } } } }),
    verifyBatchLedger(batchId),
    prisma.batchInput.findMany({
      where: { outputBatchId: batchId },
      select: { quantity: true, sourceBatch: { select: { lotCode: true, product: { select: { name: true, unit: true } }, codes: { where: { kind: "BATCH" }, select: { code: true }, take: 1 } } } },
    }),
  ]);
  return {
    ...traceCode,
    location: describeLocation(producer.wardCode, producer.provinceCode),
    season,
    badge: badge ? { stars: badge.stars, level: badge.level, decisionNumber: badge.decisionNumber, validUntil: badge.validUntil } : null,
    recall,
    inspection: inspection ? { result: inspection.result, inspectedAt: inspection.inspectedAt, inspector: inspection.inspector.name } : null,
    ledgerIntact: ledger.ok,
    sources: sources.map((s) => ({ quantity: s.quantity, lotCode: s.sourceBatch.lotCode, productName: s.sourceBatch.product.name, unit: s.sourceBatch.product.unit, code: s.sourceBatch.codes[0]?.code ?? null })),
  };
}
export type Gs1Resolution = { view: TraceView } | { redirectTo: string } | null;

/**
 * GS1 Digital Link resolution: /01/{gtin}/10/{lot}[/21/{serial}]. A serial with no
 * entry falls back to its lot, a lot to its product; an unknown GTIN is null (404).
 */
export async function resolveGs1(gtin: string, lot: string | null, serial: string | null): Promise<Gs1Resolution> {
  const product = await prisma.product.findUnique({ where: { gtin }, select: { id: true } });
  if (!product) return null;
  if (lot === null) return null;
  const batch = await prisma.batch.findUnique({ where: { productId_lotCode: { productId: product.id, lotCode: lot.toUpperCase() } }, select: { id: true } });
  if (!batch) return { redirectTo: `/01/${gtin}` };
  const lotPath = `/01/${gtin}/10/${encodeURIComponent(lot.toUpperCase())}`;
  const code = await prisma.traceCode.findFirst({
    where: serial === null ? { batchId: batch.id, kind: "BATCH" } : { batchId: batch.id, kind: "UNIT", serial },
    select: traceSelect,
  });
  if (!code) return serial === null ? null : { redirectTo: lotPath };
  const view = await toView(code);
  return view ? { view } : null;
}

export type TraceView = NonNullable<Awaited<ReturnType<typeof findTraceView>>>;

/** Coarse browser family for analytics; never the full user-agent string. */
export function userAgentFamily(ua: string | null): string {
  if (!ua) return "unknown";
  if (/Zalo/i.test(ua)) return "zalo";
  if (/FBAN|FBAV|FB_IAB/i.test(ua)) return "facebook";
  if (/CocCoc/i.test(ua)) return "coccoc";
  if (/SamsungBrowser/i.test(ua)) return "samsung";
  if (/Edg\//.test(ua)) return "edge";
  if (/Firefox\//.test(ua)) return "firefox";
  if (/Chrome\/|CriOS/.test(ua)) return "chrome";
  if (/Safari\//.test(ua)) return "safari";
  return "other";
}

onScansFlushed(async (codeId, scanCount) => {
  const code = await prisma.traceCode.findUnique({ where: { id: codeId }, select: { id: true, batchId: true, kind: true, status: true } });
  if (code) await applyScanRules({ ...code, scanCount });
});

/** One scan, queued for the next batched write (see scan-buffer.server.ts). Returns the scan's id. */
export function recordScan(code: { id: string; status: string }, userAgent: string | null, now = new Date()): string {
  return enqueueScan({ codeId: code.id, scannedAt: now, userAgentFamily: userAgentFamily(userAgent), outcome: code.status === "ACTIVE" ? "OK" : "WARNED" });
}

/**
 * A person opened the page: count it (HEAD requests, link previews and crawlers are
 * not people), and fold scans still in the write queue into what the page shows.
 */
export function recordVisit<V extends TraceView>(request: Request, view: V): { scanId: string | null; view: V } {
  const scanId = isAutomatedRequest(request) ? null : recordScan(view, request.headers.get("User-Agent"));
  const pending = pendingScans(view.id);
  if (!pending) return { scanId, view };
  // The scans of this code not yet written, minus this visit itself: what came before it.
  const before = pending.count - (scanId ? 1 : 0);
  const firstScannedAt = view.firstScannedAt ?? (before > 0 ? pending.first : null);
  return { scanId, view: { ...view, scanCount: view.scanCount + before, firstScannedAt } };
}
