// Anti-counterfeit codes: a unit's code cannot be listed from public data, a
// scratch PIN verifies a unit once, and the scan page prints no code the visitor lacked.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { CODE_ALPHABET } from "~/domain/trace/code-format";
import { activateUnitCodes, issueUnitCodes, SERIAL_LENGTH } from "~/domain/trace/unit-codes.server";
import { createLabelJob, readLabelPdf, runLabelJob } from "~/domain/trace/label-jobs.server";
import { hashPin, verifyPin } from "~/domain/trace/pin.server";
import { batchEpcisDocument } from "~/domain/trace/epcis.server";
import { findProvince } from "~/domain/address/address.server";
import { gtinCheckDigit } from "~/domain/catalog/gtin";
import { args, createProducer, createProductWithBatch, get, PHONE_UA, postFrom, statusOf } from "../../test/helpers";
import * as gs1Unit from "./01.$gtin.10.$lot.21.$serial";
import * as gs1UnitPin from "./01.$gtin.10.$lot.21.$serial_.pin";
import * as trace from "./t.$code._index";
import * as pinRoute from "./t.$code.pin";
import * as traceApi from "./api.v1.trace.$code";
import * as location from "./t.$code.location";

// One GTIN per product (they are unique): 0893 (Vietnam's GS1 prefix) + a counter + its check digit.
let gtinSeq = 0;
function nextGtin(): string {
  const body = `0893${String(100000000 + ++gtinSeq).slice(-9)}`;
  return `${body}${gtinCheckDigit(body)}`;
}

async function unitsWithGtin(n: number, lot = "GS-1") {
  const { user, producer } = await createProducer();
  const { product, batch } = await createProductWithBatch(producer.id, lot);
  const gtin = nextGtin();
  await prisma.product.update({ where: { id: product.id }, data: { gtin } });
  expect(await issueUnitCodes(batch.id, user.id, n)).toMatchObject({ ok: true, count: n });
  await activateUnitCodes(batch.id, user.id);
  const units = await prisma.traceCode.findMany({
    where: { batchId: batch.id, kind: "UNIT" },
    select: { id: true, code: true, serial: true },
  });
  return { user, producer, product, batch, units, gtin };
}

async function gs1(gtin: string, lot: string, serial: string) {
  const pathname = `/01/${gtin}/10/${encodeURIComponent(lot)}/21/${encodeURIComponent(serial)}`;
  const res = await gs1Unit.loader(args(get(pathname), { gtin, lot, serial }));
  return { status: res.status, location: res.headers.get("Location"), html: (await res.text()).replaceAll(pathname, "{path}") };
}

async function tracePage(code: string, ip = "203.0.113.1") {
  const req = new Request(`http://localhost/t/${code}`, { headers: { "User-Agent": PHONE_UA, "x-ocop-client-ip": ip } });
  const res = await trace.loader(args(req, { code }));
  return { status: res.status, html: (await res.text()).replaceAll(`/t/${code}`, "{path}") };
}

function pinPost(pathname: string, fields: Record<string, string>, ip = "203.0.113.7") {
  const request = postFrom(ip, pathname, fields);
  request.headers.set("User-Agent", PHONE_UA);
  return request;
}

async function enterPin(code: string, pin: string, ip?: string, province?: string) {
  const res = await pinRoute.action(args(pinPost(`/t/${code}/pin`, { pin, ...(province ? { province } : {}) }, ip), { code }));
  return {
    status: res.status,
    retryAfter: res.headers.get("Retry-After"),
    cache: res.headers.get("Cache-Control"),
    html: await res.text(),
  };
}

describe("unit serials", () => {
  it("are random over a URL-safe part of GS1's AI 21 set, at least 80 bits, at most 20 characters, all distinct", async () => {
    const { units } = await unitsWithGtin(100);
    expect(SERIAL_LENGTH * Math.log2(CODE_ALPHABET.length)).toBeGreaterThanOrEqual(80);
    expect(SERIAL_LENGTH).toBeLessThanOrEqual(20);
    const pattern = new RegExp(`^[${CODE_ALPHABET}]{${SERIAL_LENGTH}}$`);
    for (const u of units) expect(u.serial).toMatch(pattern);
    expect(new Set(units.map((u) => u.serial)).size).toBe(100);
    // Nothing sequential: no serial is a number, and sorted serials share no long prefix.
    expect(units.some((u) => /^\d+$/.test(u.serial!))).toBe(false);
    // The code is drawn on its own: it is not the serial or built from it.
    for (const u of units) expect(u.code.includes(u.serial!)).toBe(false);
  });
});

describe("enumerating GS1 unit paths", () => {
  it("answers every unknown serial with the same 404 as a made-up GTIN, lot or /t/ code, and no redirect", async () => {
    const { units, gtin: GTIN } = await unitsWithGtin(20);
    const real = units[0]!.serial!;
    const nearMiss = real.slice(0, -1) + (real.endsWith("A") ? "B" : "A");
    const guesses = [
      ...Array.from({ length: 30 }, (_, i) => String(i + 1).padStart(6, "0")),
      ...Array.from({ length: 10 }, (_, i) => String(i + 1)),
      nearMiss,
      real.toLowerCase().slice(1),
      "A".repeat(SERIAL_LENGTH),
    ];
    const madeUpGtin = await gs1("00000000000000", "GS-1", "000001");
    const madeUpLot = await gs1(GTIN, "NO-SUCH-LOT", "000001");
    const madeUpCode = await tracePage("ZZZZZZZZZZZZZZZZZZ");
    expect(madeUpGtin.status).toBe(404);
    for (const s of guesses) {
      const r = await gs1(GTIN, "GS-1", s);
      expect([s, r.status, r.location]).toEqual([s, 404, null]);
      expect(r.html).toBe(madeUpGtin.html);
    }
    expect([madeUpLot.status, madeUpLot.location]).toEqual([404, null]);
    expect(madeUpLot.html).toBe(madeUpGtin.html);
    expect(madeUpCode.html).toBe(madeUpGtin.html);
    expect(await prisma.scan.count()).toBe(0);
  });

  it("a unit's own GS1 path shows its serial but neither its /t/ code nor any other unit's code or serial", async () => {
    const { units, batch, gtin: GTIN } = await unitsWithGtin(5);
    const [me, ...others] = units;
    const page = await gs1(GTIN, "GS-1", me!.serial!);
    expect(page.status).toBe(200);
    expect(page.html).toContain(me!.serial!);
    expect(page.html).not.toContain(me!.code);
    for (const o of others) for (const secret of [o.code, o.serial!]) expect(page.html).not.toContain(secret);
    // The batch's code and the /t/ page of one unit do not list the others either.
    const batchCode = await issueBatchCode(batch.id, (await prisma.user.findFirstOrThrow()).id);
    for (const html of [(await tracePage(batchCode.code)).html, (await tracePage(me!.code)).html]) {
      for (const o of others) for (const secret of [o.code, o.serial!]) expect(html).not.toContain(secret);
    }
    const json = JSON.stringify(await (await traceApi.loader(args(get(`/api/v1/trace/${me!.code}`), { code: me!.code }))).json());
    for (const o of others) for (const secret of [o.code, o.serial!]) expect(json).not.toContain(secret);
    // The public EPCIS export names the lot, never a unit.
    const epcis = JSON.stringify(await batchEpcisDocument(batch.id));
    for (const u of units) for (const secret of [u.code, u.serial!]) expect(epcis).not.toContain(secret);
  });

  it("units issued before random serials keep theirs and still open by their GS1 path, without printing their code", async () => {
    const { units, batch, gtin: GTIN } = await unitsWithGtin(1);
    await prisma.traceCode.update({ where: { id: units[0]!.id }, data: { serial: "000001" } });
    const page = await gs1(GTIN, "GS-1", "000001");
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(units[0]!.code);
    expect(batch.id).toBeTruthy();
  });
});

describe("scratch PIN", () => {
  it("a unit label run prints a 6-digit PIN per unit and stores only its slow hash", async () => {
    const { user, batch, units } = await unitsWithGtin(3, "PIN-PRINT");
    const made = await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_24", kind: "UNIT", copies: 0 });
    if (!made.ok) throw new Error(made.error);
    const job = made.job;
    await runLabelJob(job.id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-pin-"));
    fs.writeFileSync(path.join(dir, "l.pdf"), Buffer.from((await readLabelPdf(job.id))!));
    const text = execFileSync("pdftotext", ["-layout", path.join(dir, "l.pdf"), "-"]).toString();
    const stored = await prisma.traceCode.findMany({
      where: { id: { in: units.map((u) => u.id) } },
      select: { serial: true, pinHash: true },
    });
    for (const s of stored) {
      expect(s.pinHash).toMatch(/^scrypt\$/);
      expect(text).toContain(s.serial!);
    }
    const pins = [...text.matchAll(/PIN:?\s*(\d{3})\s?(\d{3})/g)].map((m) => m[1]! + m[2]!);
    expect(pins).toHaveLength(3);
    // Each printed PIN matches exactly one stored hash, and the PIN itself is nowhere in the database row.
    for (const pin of pins) expect((await Promise.all(stored.map((s) => verifyPin(pin, s.pinHash!)))).filter(Boolean)).toHaveLength(1);
    for (const s of stored) for (const pin of pins) expect(s.pinHash!.includes(pin)).toBe(false);
    // A reprint cannot print the PIN again (only the hash is kept) and keeps the first one valid.
    const madeAgain = await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_24", kind: "UNIT", copies: 0 });
    if (!madeAgain.ok) throw new Error(madeAgain.error);
    const again = madeAgain.job;
    await runLabelJob(again.id);
    fs.writeFileSync(path.join(dir, "r.pdf"), Buffer.from((await readLabelPdf(again.id))!));
    expect(execFileSync("pdftotext", [path.join(dir, "r.pdf"), "-"]).toString()).not.toMatch(/PIN:?\s*\d{3}\s?\d{3}/);
    const after = await prisma.traceCode.findMany({ where: { id: { in: units.map((u) => u.id) } }, select: { pinHash: true } });
    expect(after.map((a) => a.pinHash).sort()).toEqual(stored.map((s) => s.pinHash).sort());
  });

  it("verifies a unit once, says so plainly the second time, and keeps only the province", async () => {
    const { units } = await unitsWithGtin(2, "PIN-1");
    const unit = units[0]!;
    await prisma.traceCode.update({ where: { id: unit.id }, data: { pinHash: await hashPin("482913") } });
    const page = await tracePage(unit.code);
    expect(page.html).toContain('action="{path}/pin"');
    expect(page.html).toContain("Cào lớp phủ");
    expect((await tracePage(units[1]!.code)).html).not.toContain("/pin"); // no PIN, no form

    const first = await enterPin(unit.code, "482 913", undefined, "01");
    expect(first.status).toBe(200);
    expect(first.cache).toBe("no-store");
    expect(first.html).toContain("Hàng thật: đây là lần kiểm tra đầu tiên");
    const row = await prisma.traceCode.findUniqueOrThrow({ where: { id: unit.id } });
    expect(row.verifiedAt).not.toBeNull();
    expect(row.verifiedPlace).toBe(findProvince("01")!.name);

    const second = await enterPin(unit.code, "482913", "198.51.100.9");
    expect(second.status).toBe(200);
    expect(second.html).toContain("Mã này đã được kiểm tra lúc");
    expect(second.html).toContain(`tại ${findProvince("01")!.name}`);
    expect(second.html).toContain("nếu không phải bạn, hàng có thể là hàng giả");
    expect(second.html).not.toContain("lần kiểm tra đầu tiên");
    expect((await prisma.traceCode.findUniqueOrThrow({ where: { id: unit.id } })).verifiedAt).toEqual(row.verifiedAt);

    const wrong = await enterPin(unit.code, "000000");
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain("Mã PIN không đúng");
  });

  it("answers through the unit's GS1 path too, without the /t/ code", async () => {
    const { units, gtin: GTIN } = await unitsWithGtin(1, "PIN-GS1");
    const unit = units[0]!;
    await prisma.traceCode.update({ where: { id: unit.id }, data: { pinHash: await hashPin("111222") } });
    const base = `/01/${GTIN}/10/PIN-GS1/21/${unit.serial}`;
    expect((await gs1(GTIN, "PIN-GS1", unit.serial!)).html).toContain('action="{path}/pin"');
    const res = await gs1UnitPin.action(
      args(pinPost(`${base}/pin`, { pin: "111222" }), { gtin: GTIN, lot: "PIN-GS1", serial: unit.serial! }),
    );
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain("Hàng thật: đây là lần kiểm tra đầu tiên");
    expect(html).not.toContain(unit.code);
    const unknown = await gs1UnitPin.action(
      args(pinPost(`${base}X/pin`, { pin: "111222" }), { gtin: GTIN, lot: "PIN-GS1", serial: `${unit.serial}X` }),
    );
    expect(unknown.status).toBe(404);
  });

  it("limits wrong PINs per code (even the right one is refused then) and per client, with when to try again", async () => {
    const { units } = await unitsWithGtin(40, "PIN-LIMIT");
    for (const u of units) await prisma.traceCode.update({ where: { id: u.id }, data: { pinHash: `${await hashPin("765432")}` } });
    const target = units[0]!;
    for (let i = 0; i < 5; i++) expect((await enterPin(target.code, String(100000 + i), `10.0.0.${i + 1}`)).status).toBe(400);
    const blocked = await enterPin(target.code, "765432", "10.0.1.1");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect(blocked.html).toContain("Thử lại sau");
    expect((await prisma.traceCode.findUniqueOrThrow({ where: { id: target.id } })).verifiedAt).toBeNull();

    // One client guessing across many codes: 30 wrong guesses, then refused everywhere.
    for (let i = 0; i < 30; i++) expect((await enterPin(units[1 + (i % 30)]!.code, "000001", "10.9.9.9")).status).toBe(400);
    expect((await enterPin(units[35]!.code, "765432", "10.9.9.9")).status).toBe(429);
    expect((await enterPin(units[35]!.code, "765432", "10.9.9.10")).status).toBe(200);
  });

  it("a batch code has no PIN: the form is absent and the action answers 404", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "PIN-BATCH");
    const code = await issueBatchCode(batch.id, user.id);
    expect((await tracePage(code.code)).html).not.toContain("/pin");
    expect((await enterPin(code.code, "123456")).status).toBe(404);
  });
});

describe("the location endpoint", () => {
  it("is rate limited per client with a 429", async () => {
    const { units } = await unitsWithGtin(1, "LOC");
    const code = units[0]!.code;
    const send = (ip: string) =>
      location.action(args(pinPost(`/t/${code}/location`, { scanId: "nosuchscan", lat: "21.0", lng: "105.8" }, ip), { code }));
    for (let i = 0; i < 30; i++) expect(await statusOf(() => send("10.1.1.1"))).toBe(409);
    const over = (await send("10.1.1.1")) as Response;
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await statusOf(() => send("10.1.1.2"))).toBe(409);
  });
});
