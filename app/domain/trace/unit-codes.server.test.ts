import { actorRef, serialHash } from "~/domain/log/leaves.server";
import { prisma } from "~/db.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { activateUnitCodes, issueUnitCodes, normalizeSerial, PRINT_ORDER, unitCodeSummary, voidUnitCodes } from "./unit-codes.server";
import { recordEvent } from "./events.server";
import { findTraceView } from "./trace-page.server";
import { resolveGs1 } from "~/domain/trace/gs1.server";
import { qrUrl } from "./code.server";
import { createLabelJob, readLabelPdf, runLabelJob } from "./label-jobs.server";
import { gtinCheckDigit, isValidGtin, toGtin14 } from "~/domain/catalog/gtin";
import { createProducer, createProductWithBatch } from "../../../test/helpers";

describe("unit codes", () => {
  it("issues up to the batch quantity and refuses more", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id); // quantity 100
    expect(await issueUnitCodes(batch.id, user.id, 60)).toEqual({ ok: true, count: 60 });
    expect(await issueUnitCodes(batch.id, user.id, 41)).toEqual({ ok: false, error: "error.tooManyUnitCodes|40" });
    expect(await issueUnitCodes(batch.id, user.id, 40)).toEqual({ ok: true, count: 40 });
    expect(await prisma.traceCode.count({ where: { batchId: batch.id, kind: "UNIT" } })).toBe(100);
    const codes = await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, select: { code: true } });
    expect(new Set(codes.map((c) => c.code)).size).toBe(100);
  });

  it("start ISSUED, warn when scanned, turn ACTIVE on packing, and void with a log leaf", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    await issueUnitCodes(batch.id, user.id, 10);
    const inPrintOrder = await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, orderBy: PRINT_ORDER });
    const serial = (i: number) => inPrintOrder[i - 1]!.serial!;
    const first = inPrintOrder[0]!;
    expect(first.status).toBe("ISSUED");
    const issuedView = await findTraceView(first.code);
    expect(issuedView?.status).toBe("ISSUED");
    expect(issuedView?.season).toEqual([]); // no origin story for a code not in use
    await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "PACKING",
      input: { occurredAt: new Date(), quantity: 10, packageType: "Hộp giấy" },
    });
    expect(await unitCodeSummary(batch.id)).toMatchObject({ issued: 0, active: 10 });
    expect(await voidUnitCodes(batch.id, user.id, serial(3), serial(2), "x")).toMatchObject({
      ok: false,
      field: "serialTo",
      error: "error.rangeBackwards",
    });
    expect(await voidUnitCodes(batch.id, user.id, "NOSUCHSERIAL", serial(2), "x")).toMatchObject({
      ok: false,
      field: "serialFrom",
      error: "error.noSuchSerial",
    });
    // Typed from the label in lower case with a space: still the same serial.
    const typed = `${serial(3).slice(0, 5).toLowerCase()} ${serial(3).slice(5)}`;
    expect(await voidUnitCodes(batch.id, user.id, typed, serial(4), "Tem bị rách")).toEqual({ ok: true, count: 2 });
    expect(await voidUnitCodes(batch.id, user.id, serial(3), serial(4), "again")).toMatchObject({
      ok: false,
      error: "error.noSuchSerials",
    });
    expect(await unitCodeSummary(batch.id)).toMatchObject({ active: 8, void: 2 });
    const entries = await prisma.logLeaf.findMany({ where: { batchId: batch.id }, orderBy: { id: "asc" } });
    expect(entries.map((e) => e.type)).toEqual(["Batch", "TraceEvent", "CodeVoid"]);
    // The public leaf counts the units and names them by hash: a voided serial and the person stay out of the log (ADR 013).
    expect(JSON.parse(entries[2]!.leaf)).toMatchObject({
      v: 2,
      units: 2,
      serialHashes: [serialHash(batch.id, serial(3)), serialHash(batch.id, serial(4))].sort(),
      reason: "Tem bị rách",
      by: actorRef("CodeVoid", batch.id, new Date(JSON.parse(entries[2]!.leaf).at), user.id),
    });
    for (const secret of [serial(3), serial(4), user.id]) expect(entries[2]!.leaf).not.toContain(secret);
    expect(await verifyBatchLog(batch.id)).toMatchObject({ ok: true, problems: [] });
    expect(await activateUnitCodes(batch.id, user.id)).toBe(0);
  });
});

describe("serials typed by a producer", () => {
  it("ignore case and spaces, and a short number means the six-digit serial of older labels", () => {
    expect(normalizeSerial(" 7kq2m 9xh4 ")).toBe("7KQ2M9XH4");
    expect(normalizeSerial("7")).toBe("000007");
    expect(normalizeSerial("000123")).toBe("000123");
    expect(normalizeSerial("a/b")).toBeNull();
  });
});

describe("GTIN and GS1 Digital Link", () => {
  it("checks GTIN check digits", () => {
    expect(gtinCheckDigit("400638133393")).toBe(1);
    expect(gtinCheckDigit("0400638133393")).toBe(1); // a leading zero does not change it
    expect(isValidGtin("4006381333931")).toBe(true); // a well-known valid EAN-13
    expect(isValidGtin("4006381333932")).toBe(false);
    expect(toGtin14("4006381333931")).toBe("04006381333931");
    expect(toGtin14("400638133393")).toBeNull();
  });

  it("resolves lot and serial paths, falls back lot → product, and 404s unknown serials and GTINs", async () => {
    const { user, producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id, "GS-1");
    await prisma.product.update({ where: { id: product.id }, data: { gtin: "04006381333931" } });
    await issueUnitCodes(batch.id, user.id, 2);
    const unit = await prisma.traceCode.findFirstOrThrow({ where: { batchId: batch.id, kind: "UNIT" } });
    expect(qrUrl(unit, { gtin: "04006381333931" }, "GS-1")).toBe(`${process.env.APP_URL}/01/04006381333931/10/GS-1/21/${unit.serial}`);
    const serial = await resolveGs1("04006381333931", "GS-1", unit.serial!.toLowerCase());
    expect(serial && "view" in serial ? serial.view.serial : null).toBe(unit.serial);
    expect(await resolveGs1("04006381333931", "GS-1", "999999")).toBeNull();
    expect(await resolveGs1("04006381333931", "NO-SUCH-LOT", unit.serial)).toBeNull();
    expect(await resolveGs1("04006381333931", "NO-SUCH-LOT", null)).toEqual({ redirectTo: "/01/04006381333931" });
    expect(await resolveGs1("00000000000000", "GS-1", null)).toBeNull();
  });
});

describe("label jobs", () => {
  it("makes a PDF of every live unit code and records progress", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    await issueUnitCodes(batch.id, user.id, 30);
    const inPrintOrder = await prisma.traceCode.findMany({
      where: { batchId: batch.id, kind: "UNIT" },
      orderBy: PRINT_ORDER,
      select: { serial: true },
    });
    expect(await voidUnitCodes(batch.id, user.id, inPrintOrder[0]!.serial!, inPrintOrder[4]!.serial!, "hỏng")).toEqual({
      ok: true,
      count: 5,
    });
    const madeJob = await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_24", kind: "UNIT", copies: 0 });
    if (!madeJob.ok) throw new Error(madeJob.error);
    const job = madeJob.job;
    expect(job.total).toBe(25);
    await runLabelJob(job.id);
    const done = await prisma.labelJob.findUniqueOrThrow({ where: { id: job.id } });
    expect([done.status, done.done, done.total]).toEqual(["DONE", 25, 25]);
    const pdf = Buffer.from((await readLabelPdf(job.id))!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1").match(/\/Type \/Page\b/g)?.length).toBe(2); // 25 labels on 24-up sheets
  });
});

describe("a run of 1,000 labels", () => {
  it("reports progress while it runs and finishes", async () => {
    const { user, producer } = await createProducer();
    const { product } = await createProductWithBatch(producer.id);
    const batch = await prisma.batch.create({
      data: { productId: product.id, lotCode: "NGHIN", producedAt: new Date("2026-10-01"), quantity: 1000, stock: 1000 },
    });
    expect(await issueUnitCodes(batch.id, user.id, 1000)).toMatchObject({ ok: true, count: 1000 });
    const madeJob = await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_40", kind: "UNIT", copies: 0 });
    if (!madeJob.ok) throw new Error(madeJob.error);
    const job = madeJob.job;
    const running = runLabelJob(job.id);
    const seen = new Set<number>();
    for (;;) {
      const { done, status } = await prisma.labelJob.findUniqueOrThrow({ where: { id: job.id } });
      seen.add(done);
      if (status === "DONE" || status === "FAILED") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await running;
    const finished = await prisma.labelJob.findUniqueOrThrow({ where: { id: job.id } });
    expect([finished.status, finished.done, finished.total]).toEqual(["DONE", 1000, 1000]);
    // The page saw it move: at least one count strictly between start and end.
    expect([...seen].some((n) => n > 0 && n < 1000)).toBe(true);
    const pdf = Buffer.from((await readLabelPdf(job.id))!).toString("latin1");
    expect(pdf.match(/\/Type \/Page\b/g)?.length).toBe(25); // 1,000 labels, 40 to a sheet
  });
});

describe("unit codes under concurrency", () => {
  it("two issues on one batch at the same moment both succeed with distinct serials, and one more is refused", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "CONC-1");
    const results = await Promise.all([issueUnitCodes(batch.id, user.id, 30), issueUnitCodes(batch.id, user.id, 30)]);
    expect(results.every((r) => r.ok)).toBe(true);
    const serials = (await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, select: { serial: true } }))
      .map((c) => c.serial)
      .sort();
    expect(serials).toHaveLength(60);
    expect(new Set(serials).size).toBe(60);
    const fill = await Promise.all([issueUnitCodes(batch.id, user.id, 30), issueUnitCodes(batch.id, user.id, 30)]);
    // 40 left of 100: exactly one of the two fits, whichever took the lock first.
    expect(fill.filter((r) => r.ok)).toHaveLength(1);
    expect(await prisma.traceCode.count({ where: { batchId: batch.id, kind: "UNIT" } })).toBe(90);
  });
});
