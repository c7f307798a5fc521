import { prisma } from "~/db.server";
import type { LabelJob, TraceCodeKind } from "@prisma/client";
import { deleteFiles, readFile, readFileStream, writeFileStream } from "~/domain/files/storage.server";
import { enqueueJob } from "~/domain/jobs/queue.server";
import { translator } from "~/i18n/translate";
import { qrUrl } from "./code.server";
import { writeLabelSheet, type SheetLabel, type SheetLayout } from "./label-sheet.server";
import { newPins, storePinHashes } from "./pin.server";
import { PRINT_ORDER } from "./unit-codes.server";
import { refusal } from "~/i18n/refusal";
import { isBlockedLot } from "~/domain/orders/order-state";

// Label runs are jobs in the database queue: the request that asks for 1,000 labels
// returns at once, any instance's worker makes the PDF (again from the start if the
// instance running it died), and the job page shows progress until it is ready.

export const MAX_BATCH_LABEL_COPIES = 1000;
/** Labels in one job (unit codes included): a run is minutes of one worker's CPU at most. */
export const MAX_LABELS_PER_JOB = 5000;
/**
 * A unit-label PDF holds the scratch PINs in plain text (only their hashes are kept
 * elsewhere): it is deleted this long after it is made, so a leaked backup or a borrowed
 * account a month later does not hand out every PIN. The producer prints it before then.
 */
export const UNIT_LABEL_PDF_DAYS = 7;
/** Jobs a producer may have waiting or printing at once, so one account cannot fill every worker. */
export const MAX_OPEN_LABEL_JOBS = 2;

const labelPdfKey = (jobId: string) => `labels/${jobId}.pdf`;

/** The whole PDF in memory (tests); the download route streams it with readLabelPdfStream. */
export async function readLabelPdf(jobId: string): Promise<Uint8Array<ArrayBuffer> | null> {
  return (await readFile(labelPdfKey(jobId)))?.bytes ?? null;
}

export async function readLabelPdfStream(jobId: string) {
  return readFileStream(labelPdfKey(jobId));
}

export type CreatedLabelJob = { ok: true; job: LabelJob } | { ok: false; field: "codeKind" | "copies" | "_form"; error: string };

/** The runs a batch's unit labels take: [first index, count] of at most MAX_LABELS_PER_JOB each, in print order. */
export function unitLabelRanges(unitCodes: number): Array<{ firstIndex: number; count: number }> {
  const ranges = [];
  for (let firstIndex = 0; firstIndex < unitCodes; firstIndex += MAX_LABELS_PER_JOB)
    ranges.push({ firstIndex, count: Math.min(MAX_LABELS_PER_JOB, unitCodes - firstIndex) });
  return ranges;
}

/** kind UNIT prints the batch's live unit codes from `firstIndex` (print order), at most MAX_LABELS_PER_JOB of them. */
export async function createLabelJob(args: {
  batchId: string;
  userId: string;
  layout: SheetLayout;
  kind: TraceCodeKind;
  copies: number;
  firstIndex?: number;
}): Promise<CreatedLabelJob> {
  const firstIndex = args.kind === "UNIT" ? (args.firstIndex ?? 0) : 0;
  if (!Number.isInteger(firstIndex) || firstIndex < 0 || firstIndex % MAX_LABELS_PER_JOB !== 0)
    return { ok: false, field: "codeKind", error: "error.chooseOne" };
  const total =
    args.kind === "UNIT"
      ? Math.min(
          MAX_LABELS_PER_JOB,
          Math.max(
            0,
            (await prisma.traceCode.count({ where: { batchId: args.batchId, kind: "UNIT", status: { not: "VOID" } } })) - firstIndex,
          ),
        )
      : args.copies;
  if (total === 0) return { ok: false, field: "codeKind", error: "error.noUnitCodes" }; // nothing to print: no job
  if (total > MAX_LABELS_PER_JOB) return { ok: false, field: "copies", error: refusal("error.tooManyLabels", { n: MAX_LABELS_PER_JOB }) };
  return prisma.$transaction(async (tx) => {
    const { producerId } = await tx.product.findFirstOrThrow({
      where: { batches: { some: { id: args.batchId } } },
      select: { producerId: true },
    });
    // A held or recalled lot gets no new labels, whoever asks (the page offers none either).
    const lot = await tx.batch.findUniqueOrThrow({ where: { id: args.batchId }, select: { status: true } });
    if (isBlockedLot(lot.status)) return { ok: false as const, field: "_form" as const, error: "error.batchClosed" };
    // One job created at a time per producer, so two requests at once cannot both pass the count.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`label-jobs:${producerId}`}))`;
    const open = await tx.labelJob.count({ where: { status: { in: ["QUEUED", "RUNNING"] }, batch: { product: { producerId } } } });
    if (open >= MAX_OPEN_LABEL_JOBS)
      return { ok: false as const, field: "_form" as const, error: refusal("error.tooManyLabelJobs", { n: MAX_OPEN_LABEL_JOBS }) };
    const job = await tx.labelJob.create({
      data: { batchId: args.batchId, userId: args.userId, layout: args.layout, codeKind: args.kind, firstIndex, total },
    });
    await enqueueJob(tx, "label-sheet", { jobId: job.id }, { key: `label:${job.id}`, maxAttempts: 3 });
    return { ok: true as const, job };
  });
}

/** The job's work. Run again after a crash, it starts over (progress from 0); a finished run is not redone. */
export async function runLabelJob(jobId: string): Promise<void> {
  const existing = await prisma.labelJob.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!existing || existing.status === "DONE") return;
  const job = await prisma.labelJob.update({
    where: { id: jobId },
    data: { status: "RUNNING", done: 0 },
    include: { batch: { include: { product: { include: { producer: { select: { name: true } } } } } } },
  });
  try {
    const { batch } = job;
    // Queued before the lot was held or recalled: nothing is printed for it now.
    if (isBlockedLot(batch.status)) throw new Error("error.batchClosed");
    // What every label of the lot says besides its code: the whole product name, the producer, the expiry if any.
    const lotText = {
      productName: batch.product.name,
      producerName: batch.product.producer.name,
      lotCode: batch.lotCode,
      expiresAt: batch.expiresAt,
    };
    let labels: SheetLabel[];
    let pins = new Map<string, { pin: string; hash: string }>();
    if (job.codeKind === "UNIT") {
      const codes = await prisma.traceCode.findMany({
        where: { batchId: batch.id, kind: "UNIT", status: { not: "VOID" } },
        orderBy: PRINT_ORDER,
        skip: job.firstIndex,
        take: job.total,
        select: { id: true, code: true, serial: true, pinHash: true },
      });
      // A unit printed for the first time gets its scratch PIN now. Reprints cannot print it
      // again (only its hash is kept) and do not replace it (the first label may be on a product).
      pins = await newPins(codes.filter((c) => !c.pinHash).map((c) => c.id));
      labels = codes.map((c) => ({
        ...lotText,
        url: qrUrl(c, batch.product, batch.lotCode),
        serial: c.serial,
        pin: pins.get(c.id)?.pin ?? null,
      }));
    } else {
      const code = await prisma.traceCode.findFirst({ where: { batchId: batch.id, kind: "BATCH" }, select: { code: true, serial: true } });
      if (!code) throw new Error("batch has no code");
      const url = qrUrl(code, batch.product, batch.lotCode);
      labels = Array.from({ length: job.total }, () => ({ ...lotText, url, serial: null }));
    }
    const t = translator("vi");
    let lastSaved = 0;
    // Streamed into the file store as pdfkit makes it: the PDF is never whole in memory.
    const out = writeFileStream(labelPdfKey(jobId), "application/pdf");
    await writeLabelSheet(
      labels,
      job.layout as SheetLayout,
      { lot: t("label.lot"), serial: t("label.serial"), callToScan: t("label.callToScan"), pin: t("label.pin"), expiry: t("label.expiry") },
      out,
      async (done) => {
        // Progress is written every 100 labels, not every label: it is a database write.
        if (done - lastSaved >= 100 || done === labels.length) {
          lastSaved = done;
          await prisma.labelJob.update({ where: { id: jobId }, data: { done } });
        }
      },
    );
    // The PINs' hashes are kept only once their sheet is stored, with the job's end: a run
    // that dies before leaves no hash without a printed PIN, and its rerun draws new PINs.
    await prisma.$transaction(async (tx) => {
      const stored = await storePinHashes(tx, pins);
      // Another run printed PINs for some of these codes first: this sheet's PINs would not match.
      if (stored !== pins.size) throw new Error("another label run gave some of these units their PIN first; make the sheet again");
      const finishedAt = new Date();
      await tx.labelJob.update({
        where: { id: jobId },
        data: { status: "DONE", done: labels.length, total: labels.length, fileKey: labelPdfKey(jobId), finishedAt },
      });
      if (job.codeKind === "UNIT")
        await enqueueJob(
          tx,
          "label-sheet-expire",
          { jobId },
          { key: `label-expire:${jobId}`, runAt: new Date(finishedAt.getTime() + UNIT_LABEL_PDF_DAYS * 86_400_000) },
        );
    });
  } catch (e) {
    console.error(`[labels] job ${jobId} failed`, e);
    await prisma.labelJob.update({
      where: { id: jobId },
      data: { status: "FAILED", error: String(e instanceof Error ? e.message : e).slice(0, 500), finishedAt: new Date() },
    });
  }
}

/** The job's work UNIT_LABEL_PDF_DAYS after a unit-label sheet is made: the PDF (and its PINs) goes. */
export async function expireLabelPdf(jobId: string): Promise<void> {
  await prisma.labelJob.updateMany({ where: { id: jobId }, data: { fileKey: null } });
  await deleteFiles([labelPdfKey(jobId)]);
}

export async function findLabelJobOfProducer(producerId: string, jobId: string) {
  return prisma.labelJob.findFirst({
    where: { id: jobId, batch: { product: { producerId } } },
    include: { batch: { select: { id: true, lotCode: true, status: true, product: { select: { name: true } } } } },
  });
}
