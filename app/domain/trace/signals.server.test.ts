import { prisma } from "~/db.server";
import { issueBatchCode } from "./code.server";
import { issueUnitCodes, voidUnitCodes, activateUnitCodes } from "./unit-codes.server";
import { applyScanRules, attachScanLocation, coarse, FLAG_SCAN_COUNT, FLAG_WINDOW_DAYS, haversineKm } from "./signals.server";
import { isAutomatedRequest } from "~/web/trace-visit.server";
import { findTraceView } from "./trace-page.server";
import { recordScan, recordVisit } from "~/web/trace-visit.server";
import { flushScans } from "./scan-buffer.server";
import { args, createProducer, createProductWithBatch, get, PHONE_UA } from "../../../test/helpers";
import * as trace from "~/routes/t.$code._index";
import { LIMITS } from "~/domain/security/rate-limits.server";

async function unitCode(status: "ISSUED" | "ACTIVE" | "VOID") {
  const { user, producer } = await createProducer();
  const { batch } = await createProductWithBatch(producer.id);
  await issueUnitCodes(batch.id, user.id, 3);
  if (status !== "ISSUED") await activateUnitCodes(batch.id, user.id);
  const code = await prisma.traceCode.findFirstOrThrow({ where: { batchId: batch.id, kind: "UNIT" }, orderBy: { serial: "asc" } });
  if (status === "VOID") await voidUnitCodes(batch.id, user.id, code.serial!, code.serial!, "mất tem");
  return { code, batch, user };
}

function from(code: string, ua: string, ip: string) {
  return new Request(`http://localhost/t/${code}`, { headers: { "User-Agent": ua, "x-ocop-client-ip": ip } });
}

async function scan(code: string, ua = PHONE_UA, ip = "203.0.113.1") {
  const view = await findTraceView(code);
  const { scanId } = await recordVisit(from(code, ua, ip), view!);
  await flushScans(); // the rules run after the page is answered
  return scanId;
}

async function pageHtml(code: string, ip: string) {
  await flushScans();
  return (await trace.loader(args(from(code, PHONE_UA, ip), { code }))).text();
}

const FIREFOX_UA = "Mozilla/5.0 (Android 11; Mobile; rv:120.0) Gecko/120.0 Firefox/120.0";

const flags = async (codeId: string) => {
  await flushScans();
  return prisma.counterfeitFlag.findMany({ where: { codeId }, select: { rule: true } }).then((f) => f.map((x) => x.rule));
};

describe("counterfeit rules", () => {
  it(`does not flag one phone reloading a unit's page ${FLAG_SCAN_COUNT + 1} times, nor tell it the label may be copied`, async () => {
    const { code } = await unitCode("ACTIVE");
    for (let i = 0; i < FLAG_SCAN_COUNT + 1; i++) await scan(code.code, PHONE_UA, "203.0.113.5");
    expect(await flags(code.id)).toEqual([]);
    const html = await pageHtml(code.code, "203.0.113.5");
    expect(html).toContain(`Mã này đã được quét ${FLAG_SCAN_COUNT + 1} lần`);
    expect(html).not.toContain("sao chép");
    // The client is kept as a keyed hash: never the address itself.
    const keys = await prisma.scan.findMany({ where: { codeId: code.id }, select: { clientKey: true } });
    expect(new Set(keys.map((k) => k.clientKey)).size).toBe(1);
    expect(keys[0]!.clientKey).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(keys[0]!.clientKey).not.toContain("203.0.113.5");
  });

  it(`flags a unit code scanned by more than ${FLAG_SCAN_COUNT} distinct clients, once, and says so on its page`, async () => {
    const { code } = await unitCode("ACTIVE");
    for (let i = 0; i < FLAG_SCAN_COUNT; i++) await scan(code.code, PHONE_UA, `198.51.100.${i + 1}`);
    expect(await flags(code.id)).toEqual([]);
    await scan(code.code, PHONE_UA, "198.51.100.200");
    await scan(code.code, PHONE_UA, "198.51.100.201");
    expect(await flags(code.id)).toEqual(["SCAN_COUNT"]);
    expect(await pageHtml(code.code, "198.51.100.202")).toContain("sao chép");
  });

  it(`counts only the clients of the last ${FLAG_WINDOW_DAYS} days`, async () => {
    const { code } = await unitCode("ACTIVE");
    for (let i = 0; i < FLAG_SCAN_COUNT; i++) await scan(code.code, PHONE_UA, `192.0.2.${i + 1}`);
    await prisma.scan.updateMany({
      where: { codeId: code.id },
      data: { scannedAt: new Date(Date.now() - (FLAG_WINDOW_DAYS + 1) * 86_400_000) },
    });
    await scan(code.code, PHONE_UA, "192.0.2.100");
    await scan(code.code, PHONE_UA, "192.0.2.101");
    expect(await flags(code.id)).toEqual([]);
  });

  it("flags any scan of a VOID or not-yet-active code", async () => {
    const voided = await unitCode("VOID");
    await scan(voided.code.code);
    expect(await flags(voided.code.id)).toEqual(["VOID_SCAN"]);
    const issued = await unitCode("ISSUED");
    await scan(issued.code.code);
    expect(await flags(issued.code.id)).toEqual(["INACTIVE_SCAN"]);
    expect(await prisma.scan.findFirst({ where: { codeId: issued.code.id }, select: { outcome: true } })).toEqual({ outcome: "WARNED" });
  });

  it("flags scans of one unit code more than 100 km apart within 6 hours, and keeps positions coarse", async () => {
    const { code } = await unitCode("ACTIVE");
    const hanoi = await scan(code.code, PHONE_UA, "203.0.113.21");
    const alsoHanoi = await scan(code.code, PHONE_UA, "203.0.113.22");
    expect(await attachScanLocation(hanoi!, 21.0285, 105.8542)).toBe(true);
    expect(await attachScanLocation(alsoHanoi!, 21.04, 105.83)).toBe(true);
    expect(await flags(code.id)).toEqual([]);
    const hcmc = await scan(code.code, PHONE_UA, "198.51.100.23");
    expect(await attachScanLocation(hcmc!, 10.7769, 106.7009)).toBe(true);
    expect(await flags(code.id)).toEqual(["DISTANCE"]);
    expect(await prisma.scan.findUnique({ where: { id: hanoi! }, select: { latitude: true, longitude: true } })).toEqual({
      latitude: 21,
      longitude: 105.9,
    });
    expect(await attachScanLocation(hanoi!, 1, 1)).toBe(false); // a position is attached once
  });

  it("one client with two far-apart locations raises no flag while independent clients do", async () => {
    const { code } = await unitCode("ACTIVE");
    const view = (await findTraceView(code.code))!;
    const t0 = new Date();
    const later = new Date(t0.getTime() + 2 * 3600_000); // another visit of the same client, two hours on
    // One address and browser: two scans, two positions 1,100 km apart.
    const first = await recordScan(view, from(code.code, PHONE_UA, "203.0.113.31"), t0);
    const again = await recordScan(view, from(code.code, PHONE_UA, "203.0.113.31"), t0);
    const second = await recordScan(view, from(code.code, PHONE_UA, "203.0.113.31"), later);
    await flushScans();
    expect(await attachScanLocation(first!, 21.0285, 105.8542, t0)).toBe(true);
    expect(await attachScanLocation(again!, 10.7769, 106.7009, t0)).toBe(false); // a reload is the same scan
    expect(await attachScanLocation(second!, 10.7769, 106.7009, later)).toBe(true);
    // The same address with another browser is not an independent witness either.
    const otherBrowser = await recordScan(view, from(code.code, FIREFOX_UA, "203.0.113.31"), later);
    await flushScans();
    expect(await attachScanLocation(otherBrowser!, 10.8, 106.7, later)).toBe(true);
    expect(await flags(code.id)).toEqual([]);
    expect(await pageHtml(code.code, "203.0.113.31")).not.toContain("sao chép");
    // A second address far away may still be the same person (home Wi-Fi, then mobile data): no warning yet.
    const secondNetwork = await recordScan(view, from(code.code, PHONE_UA, "198.51.100.32"), later);
    await flushScans();
    expect(await attachScanLocation(secondNetwork!, 10.78, 106.71, later)).toBe(true);
    expect(await flags(code.id)).toEqual([]);
    expect(await pageHtml(code.code, "198.51.100.33")).not.toContain("sao chép");
    // A third independent client within the window: a copied label.
    const third = await recordScan(view, from(code.code, FIREFOX_UA, "192.0.2.34"), later);
    await flushScans();
    expect(await attachScanLocation(third!, 10.76, 106.68, later)).toBe(true);
    expect(await flags(code.id)).toEqual(["DISTANCE"]);
    expect(await pageHtml(code.code, "198.51.100.33")).toContain("sao chép");
  });

  it("two browsers on two addresses of one IPv6 /64, far apart, and one more address are two networks: no warning", async () => {
    const { code } = await unitCode("ACTIVE");
    const hanoi = await scan(code.code, PHONE_UA, "2001:db8:aa:1::10");
    const saigon = await scan(code.code, FIREFOX_UA, "2001:db8:aa:1::99");
    const other = await scan(code.code, PHONE_UA, "198.51.100.61");
    expect(await attachScanLocation(hanoi!, 21.0285, 105.8542)).toBe(true);
    expect(await attachScanLocation(saigon!, 10.7769, 106.7009)).toBe(true);
    expect(await attachScanLocation(other!, 10.78, 106.7)).toBe(true);
    expect(await flags(code.id)).toEqual([]);
  });

  it("does not relate scans more than 6 hours apart", async () => {
    const { code } = await unitCode("ACTIVE");
    const first = await scan(code.code, PHONE_UA, "203.0.113.41");
    await prisma.scan.update({
      where: { id: first! },
      data: { scannedAt: new Date(Date.now() - 7 * 3600_000), latitude: 21, longitude: 105.8 },
    });
    const later = await scan(code.code, PHONE_UA, "198.51.100.42");
    expect(await attachScanLocation(later!, 10.8, 106.7)).toBe(true);
    expect(await flags(code.id)).toEqual([]);
  });

  it("measures distance on the globe and rounds to 0.1°", () => {
    expect(Math.round(haversineKm({ lat: 21.03, lng: 105.85 }, { lat: 10.78, lng: 106.7 }))).toBeGreaterThan(1100);
    expect(coarse(21.0285)).toBe(21);
    expect(coarse(105.8542)).toBe(105.9);
  });
});

describe("who counts as a scan", () => {
  it("does not count crawlers, link previews or HEAD requests", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const code = await issueBatchCode(batch.id, user.id);
    const view = await findTraceView(code.code);
    const bots = [
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
      "Zalo-Link-Preview/1.0",
      "",
    ];
    for (const ua of bots) expect(isAutomatedRequest(get("/t/x", undefined, ua)), ua).toBe(true);
    expect(isAutomatedRequest(new Request("http://localhost/t/x", { method: "HEAD", headers: { "User-Agent": PHONE_UA } }))).toBe(true);
    for (const ua of bots) await recordVisit(get(`/t/${code.code}`, undefined, ua), view!);
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(0);
    await recordVisit(get(`/t/${code.code}`), view!);
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(1);
  });
});

describe("reloads", () => {
  it("1,000 reloads of one code from one client add at most a handful of rows, and still count as scans", async () => {
    const { code } = await unitCode("ACTIVE");
    const view = (await findTraceView(code.code))!;
    const ids = new Set<string | null>();
    for (let burst = 0; burst < 10; burst++) {
      const got = await Promise.all(Array.from({ length: 100 }, () => recordVisit(from(code.code, PHONE_UA, "203.0.113.51"), view)));
      for (const g of got) ids.add(g.scanId);
    }
    await flushScans();
    const rows = await prisma.scan.findMany({ where: { codeId: code.id }, select: { repeats: true } });
    expect(rows.length).toBeLessThanOrEqual(2); // one visit, or two if the reloads straddle the hour
    expect(ids.has(null)).toBe(false);
    // The statistics still count page views: the code's counter and the rows' repeats agree.
    expect(rows.reduce((n, r) => n + r.repeats, 0)).toBe(1000);
    expect((await prisma.traceCode.findUniqueOrThrow({ where: { id: code.id } })).scanCount).toBe(1000);
    // Another client is another row.
    await scan(code.code, PHONE_UA, "198.51.100.52");
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(rows.length + 1);
  });

  it("stores at most LIMITS.scanRowsPerClient new scans an hour from one address; its pages are still answered", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    await issueUnitCodes(batch.id, user.id, 8);
    await activateUnitCodes(batch.id, user.id);
    const codes = await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, select: { id: true, code: true } });
    process.env.RATE_LIMIT_SCALE = String(5 / LIMITS.scanRowsPerClient.points); // 5 rows an hour, for this test
    try {
      const scanIds = [];
      for (const c of codes) scanIds.push(await scan(c.code, PHONE_UA, "203.0.113.61"));
      expect(scanIds.filter((id) => id !== null)).toHaveLength(5);
      expect(await prisma.scan.count({ where: { codeId: { in: codes.map((c) => c.id) } } })).toBe(5);
      // A reload of a stored scan is still counted; another address is not held back.
      expect(await scan(codes[0]!.code, PHONE_UA, "203.0.113.61")).toBe(scanIds[0]);
      expect(await scan(codes[7]!.code, PHONE_UA, "198.51.100.62")).not.toBeNull();
    } finally {
      delete process.env.RATE_LIMIT_SCALE;
    }
  });
});

describe("counterfeit flags under concurrency", () => {
  it("one rule raised for one code by two instances at the same moment gives one open flag", async () => {
    const { code } = await unitCode("VOID");
    const voided = { id: code.id, batchId: code.batchId, kind: "UNIT", status: "VOID", scanCount: 1 };
    await Promise.all(Array.from({ length: 6 }, () => applyScanRules(voided)));
    expect(await prisma.counterfeitFlag.count({ where: { codeId: code.id, rule: "VOID_SCAN", resolvedAt: null } })).toBe(1);
  });
});
