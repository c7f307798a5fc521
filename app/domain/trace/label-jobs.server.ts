import fs from "node:fs";
import path from "node:path";
import { prisma } from "~/db.server";
import { translator } from "~/i18n/translate";
import { qrUrl } from "./code.server";
import { renderLabelSheet, type SheetLayout } from "./label-sheet.server";

// Label runs are made in the background: the request that asks for 1,000 labels
// returns at once, and the job page shows progress until the PDF is ready.

export const MAX_BATCH_LABEL_COPIES = 1000;

function labelsDir(): string {
  const dir = path.join(process.env.DATA_DIR ? path.resolve(process.env.DATA_DIR) : path.join(process.cwd(), "data"), "labels");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function labelJobFile(jobId: string): string {
  return path.join(labelsDir(), `${jobId.replace(/[^a-z0-9]/gi, "")}.pdf`);
}

export async function createLabelJob(args: { batchId: string; userId: string; layout: SheetLayout; kind: "BATCH" | "UNIT"; copies: number }) {
  const total =
    args.kind === "UNIT"
      ? await prisma.traceCode.count({ where: { batchId: args.batchId, kind: "UNIT", status: { not: "VOID" } } })
      : args.copies;
  return prisma.labelJob.create({ data: { batchId: args.batchId, userId: args.userId, layout: args.layout, codeKind: args.kind, total } });
}

export async function runLabelJob(jobId: string): Promise<void> {
  const job = await prisma.labelJob.update({ where: { id: jobId }, data: { status: "RUNNING" }, include: { batch: { include: { product: true } } } });
  try {
    const { batch } = job;
    let labels: { url: string; productName: string; lotCode: string; serial: string | null }[];
    if (job.codeKind === "UNIT") {
      const codes = await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT", status: { not: "VOID" } }, orderBy: { serial: "asc" }, select: { code: true, serial: true } });
      labels = codes.map((c) => ({ url: qrUrl(c, batch.product, batch.lotCode), productName: batch.product.name, lotCode: batch.lotCode, serial: c.serial }));
    } else {
      const code = await prisma.traceCode.findFirst({ where: { batchId: batch.id, kind: "BATCH" }, select: { code: true, serial: true } });
      if (!code) throw new Error("batch has no code");
      const url = qrUrl(code, batch.product, batch.lotCode);
      labels = Array.from({ length: job.total }, () => ({ url, productName: batch.product.name, lotCode: batch.lotCode, serial: null }));
    }
    const t = translator("vi");
    let lastSaved = 0;
    const pdf = await renderLabelSheet(labels, job.layout as SheetLayout, { lot: t("label.lot"), serial: t("label.serial"), callToScan: t("label.callToScan") }, async (done) => {
      // Progress is written every 100 labels, not every label: it is a database write.
      if (done - lastSaved >= 100 || done === labels.length) {
        lastSaved = done;
        await prisma.labelJob.update({ where: { id: jobId }, data: { done } });
      }
    });
    await fs.promises.writeFile(labelJobFile(jobId), pdf);
    await prisma.labelJob.update({ where: { id: jobId }, data: { status: "DONE", done: labels.length, total: labels.length, fileKey: path.basename(labelJobFile(jobId)), finishedAt: new Date() } });
  } catch (e) {
    console.error(`[labels] job ${jobId} failed`, e);
    await prisma.labelJob.update({ where: { id: jobId }, data: { status: "FAILED", error: String(e instanceof Error ? e.message : e).slice(0, 500), finishedAt: new Date() } });
  }
}

/** Starts the run without holding the request; failures are recorded on the job. */
export function startLabelJobInBackground(jobId: string) {
  void runLabelJob(jobId);
}

export async function findLabelJobOfProducer(producerId: string, jobId: string) {
  return prisma.labelJob.findFirst({ where: { id: jobId, batch: { product: { producerId } } }, include: { batch: { select: { id: true, lotCode: true, product: { select: { name: true } } } } } });
}
