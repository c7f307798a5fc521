import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import { normalizeTraceCode } from "./code.server";

// What a shopper sees after scanning: public facts only (no contact details, no stock).
export async function findTraceView(rawCode: string) {
  const code = normalizeTraceCode(rawCode);
  if (!code) return null;
  const traceCode = await prisma.traceCode.findUnique({
    where: { code },
    select: {
      id: true,
      code: true,
      kind: true,
      serial: true,
      status: true,
      scanCount: true,
      firstScannedAt: true,
      batch: {
        select: {
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
              producer: { select: { name: true, type: true, wardCode: true, provinceCode: true, story: true } },
            },
          },
        },
      },
    },
  });
  if (!traceCode) return null;
  const producer = traceCode.batch.product.producer;
  return {
    ...traceCode,
    location: describeLocation(producer.wardCode, producer.provinceCode),
  };
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

/** One scan: a Scan row plus the code's counters, together. */
export async function recordScan(codeId: string, userAgent: string | null, now = new Date()) {
  await prisma.$transaction([
    prisma.scan.create({ data: { codeId, scannedAt: now, userAgentFamily: userAgentFamily(userAgent), outcome: "OK" } }),
    prisma.traceCode.update({ where: { id: codeId }, data: { scanCount: { increment: 1 }, lastScannedAt: now } }),
    prisma.traceCode.updateMany({ where: { id: codeId, firstScannedAt: null }, data: { firstScannedAt: now } }),
  ]);
}
