import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { prisma } from "~/db.server";
import { issueBatchCode, qrUrl } from "./code.server";
import { SHEET_LAYOUTS } from "./label-layouts";
import { issueUnitCodes, PRINT_ORDER } from "./unit-codes.server";
import {
  createLabelJob,
  expireLabelPdf,
  unitLabelRanges,
  UNIT_LABEL_PDF_DAYS,
  MAX_LABELS_PER_JOB,
  MAX_OPEN_LABEL_JOBS,
  readLabelPdf,
  runLabelJob,
} from "./label-jobs.server";
import { args, cookieFor, createProducer, createProductWithBatch, get, payload, statusOf } from "../../../test/helpers";
import * as labelPdf from "../../routes/producer.label-jobs.$jobId.labels[.pdf]";
import * as jobPage from "../../routes/producer.label-jobs.$jobId._index";

async function producerWithBatch(quantity = 100) {
  const { user, producer } = await createProducer();
  const { product } = await createProductWithBatch(producer.id);
  const batch = await prisma.batch.create({
    data: { productId: product.id, lotCode: `L${quantity}`, producedAt: new Date("2026-10-01"), quantity, stock: quantity },
  });
  await issueBatchCode(batch.id, user.id);
  return { user, producer, batch };
}

describe("label job limits", () => {
  it(`prints more than ${MAX_LABELS_PER_JOB} unit codes in runs of at most that many, and refuses more copies than that`, async () => {
    const { user, batch } = await producerWithBatch(MAX_LABELS_PER_JOB + 1);
    expect(await issueUnitCodes(batch.id, user.id, MAX_LABELS_PER_JOB + 1)).toMatchObject({ ok: true });
    expect(unitLabelRanges(MAX_LABELS_PER_JOB + 1)).toEqual([
      { firstIndex: 0, count: MAX_LABELS_PER_JOB },
      { firstIndex: MAX_LABELS_PER_JOB, count: 1 },
    ]);
    const unit = (firstIndex?: number) =>
      createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_65", kind: "UNIT", copies: 0, firstIndex });
    // A start that is not where a run begins, or past the end, makes no job.
    expect(await unit(17)).toMatchObject({ ok: false, field: "codeKind" });
    expect(await unit(2 * MAX_LABELS_PER_JOB)).toEqual({ ok: false, field: "codeKind", error: "error.noUnitCodes" });
    expect(
      await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_65", kind: "BATCH", copies: MAX_LABELS_PER_JOB + 1 }),
    ).toEqual({ ok: false, field: "copies", error: `error.tooManyLabels|${MAX_LABELS_PER_JOB}` });
    expect(await prisma.labelJob.count({ where: { batchId: batch.id } })).toBe(0);

    const first = await unit();
    expect(first).toMatchObject({ ok: true, job: { firstIndex: 0, total: MAX_LABELS_PER_JOB } });
    const second = await unit(MAX_LABELS_PER_JOB);
    expect(second).toMatchObject({ ok: true, job: { firstIndex: MAX_LABELS_PER_JOB, total: 1 } });
    // The second run prints exactly the last code in print order (only it gets a PIN).
    if (second.ok) await runLabelJob(second.job.id);
    const withPin = await prisma.traceCode.findMany({
      where: { batchId: batch.id, kind: "UNIT", pinHash: { not: null } },
      select: { id: true },
    });
    const last = await prisma.traceCode.findMany({
      where: { batchId: batch.id, kind: "UNIT" },
      orderBy: PRINT_ORDER,
      skip: MAX_LABELS_PER_JOB,
      select: { id: true },
    });
    expect(withPin).toEqual(last);
    expect(last).toHaveLength(1);
  }, 60_000);

  it(`lets a producer have at most ${MAX_OPEN_LABEL_JOBS} jobs waiting or printing, even asked at once; another producer is not held up`, async () => {
    const a = await producerWithBatch();
    const b = await producerWithBatch();
    const ask = (w: typeof a) => createLabelJob({ batchId: w.batch.id, userId: w.user.id, layout: "A4_24", kind: "BATCH", copies: 10 });
    const atOnce = await Promise.all([ask(a), ask(a), ask(a), ask(a)]);
    expect(atOnce.filter((r) => r.ok).length).toBe(MAX_OPEN_LABEL_JOBS);
    expect(atOnce.find((r) => !r.ok)).toEqual({ ok: false, field: "_form", error: `error.tooManyLabelJobs|${MAX_OPEN_LABEL_JOBS}` });
    expect((await ask(b)).ok).toBe(true);
    // Once one has printed, the producer may ask again.
    const first = atOnce.find((r) => r.ok)!;
    if (first.ok) await runLabelJob(first.job.id);
    expect((await ask(a)).ok).toBe(true);
  });
});

describe("label PDFs are streamed", () => {
  it("are stored as chunk rows while they are made, and the download streams them to their owner only", async () => {
    const { user, batch } = await producerWithBatch();
    const made = await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_65", kind: "BATCH", copies: 2000 });
    if (!made.ok) throw new Error(made.error);
    await runLabelJob(made.job.id);
    const job = await prisma.labelJob.findUniqueOrThrow({ where: { id: made.job.id } });
    expect(job.status).toBe("DONE");
    const file = await prisma.storedFile.findUniqueOrThrow({ where: { key: job.fileKey! } });
    const chunks = await prisma.storedFileChunk.findMany({ where: { key: job.fileKey! }, select: { bytes: true } });
    expect(file.bytes.byteLength).toBe(0);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.reduce((n, c) => n + c.bytes.byteLength, 0)).toBe(file.size);

    const res = await labelPdf.loader(args(get(`/producer/label-jobs/${job.id}/labels.pdf`, await cookieFor(user.id)), { jobId: job.id }));
    expect(res.headers.get("Content-Length")).toBe(String(file.size));
    expect(res.body).toBeInstanceOf(ReadableStream);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(body.equals(Buffer.from((await readLabelPdf(job.id))!))).toBe(true);
    expect(body.toString("latin1").match(/\/Type \/Page\b/g)?.length).toBe(Math.ceil(2000 / 65));

    const stranger = await cookieFor((await createProducer("APPROVED", "HTX Khác")).user.id);
    expect(await statusOf(() => labelPdf.loader(args(get(`/producer/label-jobs/${job.id}/labels.pdf`, stranger), { jobId: job.id })))).toBe(
      404,
    );
  });
});

describe("unit-label PDFs hold the PINs", () => {
  it(`are deleted ${UNIT_LABEL_PDF_DAYS} days after they are made, by a queued job; the page then says why`, async () => {
    const { user, batch } = await producerWithBatch();
    await issueUnitCodes(batch.id, user.id, 3);
    const made = await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_24", kind: "UNIT", copies: 0 });
    if (!made.ok) throw new Error(made.error);
    const before = Date.now();
    await runLabelJob(made.job.id);
    const [expiry] = await prisma.$queryRaw<
      { run_at: Date }[]
    >`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`label-expire:${made.job.id}`}`;
    expect(expiry!.run_at.getTime()).toBeGreaterThanOrEqual(before + UNIT_LABEL_PDF_DAYS * 86_400_000 - 1000);
    expect(expiry!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + UNIT_LABEL_PDF_DAYS * 86_400_000 + 1000);
    const cookie = await cookieFor(user.id);
    expect(
      payload<{ pinsDays: number | null; deleted: boolean }>(
        await jobPage.loader(args(get(`/producer/label-jobs/${made.job.id}`, cookie), { jobId: made.job.id })),
      ),
    ).toMatchObject({ pinsDays: UNIT_LABEL_PDF_DAYS, deleted: false });

    await expireLabelPdf(made.job.id);
    expect(await readLabelPdf(made.job.id)).toBeNull();
    expect(await prisma.storedFileChunk.count({ where: { key: `labels/${made.job.id}.pdf` } })).toBe(0);
    expect(
      await statusOf(() => labelPdf.loader(args(get(`/producer/label-jobs/${made.job.id}/labels.pdf`, cookie), { jobId: made.job.id }))),
    ).toBe(404);
    expect(
      payload<{ deleted: boolean }>(await jobPage.loader(args(get(`/producer/label-jobs/${made.job.id}`, cookie), { jobId: made.job.id })))
        .deleted,
    ).toBe(true);
  });
});

// A label is read by a phone (the QR) and by a person (the words): on the smallest labels
// (65 to an A4 sheet, 38.1 × 21.2 mm) a long Vietnamese name must still be whole, beside
// the producer and the expiry date, and every QR of the sheet must still decode.
describe("labels carry the whole name and stay scannable", () => {
  it("every label of a 65-up sheet decodes and shows the full name", async () => {
    const NAME = "Trà hoa vàng Ba Chẽ sấy lạnh túi lọc cao cấp hộp 20 gói";
    const PRODUCER = "HTX Trà hoa vàng Ba Chẽ";
    const { user, producer } = await createProducer("APPROVED", PRODUCER);
    const { product } = await createProductWithBatch(producer.id);
    await prisma.product.update({ where: { id: product.id }, data: { name: NAME, gtin: "08936012345671" } });
    const batch = await prisma.batch.create({
      data: {
        productId: product.id,
        lotCode: "BC-2611/SL",
        producedAt: new Date("2026-11-01"),
        expiresAt: new Date("2027-05-31"),
        quantity: 65,
        stock: 65,
      },
    });
    expect(await issueUnitCodes(batch.id, user.id, 65)).toMatchObject({ ok: true });
    // Unit labels: the longest URLs (lot and serial) and the most lines (serial, scratch PIN).
    const made = await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_65", kind: "UNIT", copies: 0 });
    if (!made.ok) throw new Error(made.error);
    await runLabelJob(made.job.id);
    const pdf = await readLabelPdf(made.job.id);
    expect(pdf).not.toBeNull();
    const codes = await prisma.traceCode.findMany({
      where: { batchId: batch.id, kind: "UNIT" },
      orderBy: PRINT_ORDER,
      select: { code: true, serial: true },
    });
    const gtinProduct = { gtin: "08936012345671" };
    const urls = codes.map((c) => qrUrl(c, gtinProduct, batch.lotCode));
    expect(new Set(urls).size).toBe(65);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "labels-"));
    try {
      const file = path.join(dir, "sheet.pdf");
      fs.writeFileSync(file, pdf!);
      const whole = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString("utf8");
      expect(whole).not.toContain("…");
      expect(whole).not.toContain("...");
      // As a printer would: 300 dpi, then each label cut out by the sheet's geometry.
      const DPI = 300;
      execFileSync("/usr/bin/pdftoppm", ["-r", String(DPI), "-png", "-f", "1", "-l", "1", file, path.join(dir, "page")]);
      const pagePng = fs.readdirSync(dir).find((f) => f.startsWith("page") && f.endsWith(".png"))!;
      const page = PNG.sync.read(fs.readFileSync(path.join(dir, pagePng)));
      const layout = SHEET_LAYOUTS.A4_65;
      const px = (pt: number) => Math.round((pt * DPI) / 72);
      const marginX = (page.width * 72) / DPI / 2 - (layout.cols * layout.labelW) / 2;
      const marginY = (page.height * 72) / DPI / 2 - (layout.rows * layout.labelH) / 2;
      const squash = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();
      for (let i = 0; i < 65; i++) {
        const x = marginX + (i % layout.cols) * layout.labelW;
        const y = marginY + Math.floor(i / layout.cols) * layout.labelH;
        const [x0, y0, w, h] = [px(x), px(y), px(layout.labelW), px(layout.labelH)];
        const cut = new Uint8ClampedArray(w * h * 4);
        for (let row = 0; row < h; row++) {
          const from = ((y0 + row) * page.width + x0) * 4;
          cut.set(page.data.subarray(from, from + w * 4), row * w * 4);
        }
        const decoded = jsQR(cut, w, h, { inversionAttempts: "dontInvert" });
        expect(decoded?.data, `label ${i + 1}`).toBe(urls[i]);
        // The words inside this label only (pdftotext crops in pixels at -r).
        const words = execFileSync("pdftotext", [
          "-enc",
          "UTF-8",
          "-r",
          String(DPI),
          "-x",
          String(x0),
          "-y",
          String(y0),
          "-W",
          String(w),
          "-H",
          String(h),
          "-f",
          "1",
          "-l",
          "1",
          file,
          "-",
        ]).toString("utf8");
        const text = squash(words);
        expect(text, `label ${i + 1}`).toContain(squash(NAME));
        expect(text, `label ${i + 1}`).toContain(PRODUCER);
        expect(text, `label ${i + 1}`).toContain("HSD: 31/05/2027");
        expect(text, `label ${i + 1}`).toContain(codes[i]!.serial!);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
