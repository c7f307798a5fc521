import type { FlagRule } from "@prisma/client";
import { prisma } from "~/db.server";

// Counterfeit signals raised by scans. A genuine unit label is scanned a few
// times by a few people in one place; a copied one turns up many times, far apart.

/** More distinct clients than this scanning one unit code within FLAG_WINDOW_DAYS raises a flag. */
export const FLAG_SCAN_COUNT = 10;
export const FLAG_WINDOW_DAYS = 7;
export const DISTANCE_KM = 100;
export const DISTANCE_WINDOW_HOURS = 6;
/** A position may be attached to a scan only this soon after it. */
const LOCATION_WINDOW_MS = 15 * 60_000;

export function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Positions are kept only to 0.1° (about 11 km): enough for the distance rule, not enough to find a home. */
export const coarse = (deg: number) => Math.round(deg * 10) / 10;

/** At most one open flag per code and rule: the partial unique index decides, whoever raises it at the same moment. */
async function raiseFlag(codeId: string, batchId: string, rule: FlagRule, detail: Record<string, unknown>) {
  await prisma.counterfeitFlag.createMany({ data: [{ codeId, batchId, rule, detail: JSON.stringify(detail) }], skipDuplicates: true });
}

/**
 * Rules run right after a scan is recorded (after its page was answered). A copied label
 * is seen by many different people; one phone reloading a page is not, so the count rule
 * counts distinct clients (Scan.clientKey) in a window, not hits. The lifetime scan count
 * bounds the distinct count from above, so codes scanned 10 times or fewer (nearly all)
 * cost no query at all.
 */
export async function applyScanRules(
  code: { id: string; batchId: string; kind: string; status: string; scanCount: number },
  now = new Date(),
) {
  if (code.status === "VOID") await raiseFlag(code.id, code.batchId, "VOID_SCAN", { scanCount: code.scanCount });
  else if (code.status === "ISSUED") await raiseFlag(code.id, code.batchId, "INACTIVE_SCAN", { scanCount: code.scanCount });
  if (code.kind !== "UNIT" || code.scanCount <= FLAG_SCAN_COUNT) return;
  const since = new Date(now.getTime() - FLAG_WINDOW_DAYS * 86_400_000);
  const [row] = await prisma.$queryRaw<{ clients: bigint }[]>`
    SELECT count(DISTINCT "clientKey") AS "clients" FROM "Scan" WHERE "codeId" = ${code.id} AND "scannedAt" >= (${since.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const clients = Number(row?.clients ?? 0);
  if (clients > FLAG_SCAN_COUNT)
    await raiseFlag(code.id, code.batchId, "SCAN_COUNT", {
      clients,
      scanCount: code.scanCount,
      limit: FLAG_SCAN_COUNT,
      windowDays: FLAG_WINDOW_DAYS,
    });
}

/**
 * Independent clients a DISTANCE flag needs: this many distinct addresses (Scan.networkKey, an
 * IPv6 /64 counting once) and as many distinct address-and-browser pairs (Scan.clientKey, as the
 * scan-count rule counts them) among the positioned scans of the window. Two is one person
 * often enough — home Wi-Fi and then mobile data, whose carrier-grade NAT may also place the
 * phone in another city — so the public "label may be copied" warning waits for a third.
 */
export const DISTANCE_MIN_CLIENTS = 3;

/**
 * The visitor allowed location in the browser: keep a coarse position on their scan (a
 * visit: reloads within the hour are one row, so one position per visit), then look for
 * positions of the same unit code far away within a few hours. Only positions sent from
 * other client addresses count: one client, whatever it sends and whichever browser it
 * names, is never evidence that a label was copied; and two far apart raise the flag only
 * once DISTANCE_MIN_CLIENTS independent clients have placed the code within the window.
 */
export async function attachScanLocation(scanId: string, lat: number, lng: number, now = new Date()): Promise<boolean> {
  const scan = await prisma.scan.findUnique({
    where: { id: scanId },
    select: {
      id: true,
      scannedAt: true,
      lastSeenAt: true,
      latitude: true,
      clientKey: true,
      networkKey: true,
      code: { select: { id: true, batchId: true, kind: true } },
    },
  });
  if (!scan || scan.latitude !== null || now.getTime() - (scan.lastSeenAt ?? scan.scannedAt).getTime() > LOCATION_WINDOW_MS) return false;
  const here = { lat: coarse(lat), lng: coarse(lng) };
  await prisma.scan.update({ where: { id: scan.id }, data: { latitude: here.lat, longitude: here.lng } });
  if (scan.code.kind !== "UNIT" || scan.networkKey === null) return true;
  const windowMs = DISTANCE_WINDOW_HOURS * 3600_000;
  const placed = await prisma.scan.findMany({
    where: {
      codeId: scan.code.id,
      id: { not: scan.id },
      latitude: { not: null },
      // A row without an address (from before addresses were kept) is no witness.
      networkKey: { not: null },
      scannedAt: { gte: new Date(scan.scannedAt.getTime() - windowMs), lte: new Date(scan.scannedAt.getTime() + windowMs) },
    },
    select: { latitude: true, longitude: true, scannedAt: true, clientKey: true, networkKey: true },
  });
  const networks = new Set([scan.networkKey, ...placed.map((p) => p.networkKey)]);
  const clients = new Set([scan.clientKey, ...placed.map((p) => p.clientKey)].filter((k) => k !== null));
  if (networks.size < DISTANCE_MIN_CLIENTS || clients.size < DISTANCE_MIN_CLIENTS) return true;
  for (const other of placed) {
    if (other.networkKey === scan.networkKey) continue; // one address far from itself is no evidence
    const km = haversineKm(here, { lat: other.latitude!, lng: other.longitude! });
    if (km > DISTANCE_KM) {
      await raiseFlag(scan.code.id, scan.code.batchId, "DISTANCE", {
        km: Math.round(km),
        hours: Math.abs(scan.scannedAt.getTime() - other.scannedAt.getTime()) / 3600_000,
        clients: clients.size,
        networks: networks.size,
      });
      break;
    }
  }
  return true;
}

export async function openFlagsOfProducer(producerId: string) {
  return prisma.counterfeitFlag.findMany({
    where: { resolvedAt: null, code: { batch: { product: { producerId } } } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      rule: true,
      createdAt: true,
      detail: true,
      code: { select: { code: true, serial: true, batch: { select: { id: true, lotCode: true, product: { select: { name: true } } } } } },
    },
  });
}
