import { prisma } from "~/db.server";
import { issueBatchCode } from "./code.server";
import { issueUnitCodes, voidUnitCodes, activateUnitCodes } from "./unit-codes.server";
import { applyScanRules, attachScanLocation, coarse, FLAG_SCAN_COUNT, FLAG_WINDOW_DAYS, haversineKm, isAutomatedRequest } from "./signals.server";
import { findTraceView, recordVisit } from "./trace-page.server";
import { flushScans } from "./scan-buffer.server";
import { args, createProducer, createProductWithBatch, get, PHONE_UA } from "../../../test/helpers";
import * as trace from "~/routes/t.$code._index";

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
  return ((await trace.loader(args(from(code, PHONE_UA, ip), { code }))) as Response).text();
}

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
    await prisma.scan.updateMany({ where: { codeId: code.id }, data: { scannedAt: new Date(Date.now() - (FLAG_WINDOW_DAYS + 1) * 86_400_000) } });
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
    const hanoi = await scan(code.code);
    const alsoHanoi = await scan(code.code);
    expect(await attachScanLocation(hanoi!, 21.0285, 105.8542)).toBe(true);
    expect(await attachScanLocation(alsoHanoi!, 21.04, 105.83)).toBe(true);
    expect(await flags(code.id)).toEqual([]);
    const hcmc = await scan(code.code);
    expect(await attachScanLocation(hcmc!, 10.7769, 106.7009)).toBe(true);
    expect(await flags(code.id)).toEqual(["DISTANCE"]);
    expect(await prisma.scan.findUnique({ where: { id: hanoi! }, select: { latitude: true, longitude: true } })).toEqual({ latitude: 21, longitude: 105.9 });
    expect(await attachScanLocation(hanoi!, 1, 1)).toBe(false); // a position is attached once
  });

  it("does not relate scans more than 6 hours apart", async () => {
    const { code } = await unitCode("ACTIVE");
    const first = await scan(code.code);
    await prisma.scan.update({ where: { id: first! }, data: { scannedAt: new Date(Date.now() - 7 * 3600_000), latitude: 21, longitude: 105.8 } });
    const later = await scan(code.code);
    await attachScanLocation(later!, 10.8, 106.7);
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
    const bots = ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "Zalo-Link-Preview/1.0", ""];
    for (const ua of bots) expect(isAutomatedRequest(get("/t/x", undefined, ua)), ua).toBe(true);
    expect(isAutomatedRequest(new Request("http://localhost/t/x", { method: "HEAD", headers: { "User-Agent": PHONE_UA } }))).toBe(true);
    for (const ua of bots) await recordVisit(get(`/t/${code.code}`, undefined, ua), view!);
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(0);
    await recordVisit(get(`/t/${code.code}`), view!);
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(1);
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
