import { prisma } from "~/db.server";
import { issueBatchCode } from "./code.server";
import { issueUnitCodes } from "./unit-codes.server";
import { createLabelJob, MAX_LABELS_PER_JOB, MAX_OPEN_LABEL_JOBS, readLabelPdf, runLabelJob } from "./label-jobs.server";
import { args, cookieFor, createProducer, createProductWithBatch, get, statusOf } from "../../../test/helpers";
import * as labelPdf from "../../routes/producer.label-jobs.$jobId.labels[.pdf]";

async function producerWithBatch(quantity = 100) {
  const { user, producer } = await createProducer();
  const { product } = await createProductWithBatch(producer.id);
  const batch = await prisma.batch.create({ data: { productId: product.id, lotCode: `L${quantity}`, producedAt: new Date("2026-10-01"), quantity, stock: quantity } });
  await issueBatchCode(batch.id, user.id);
  return { user, producer, batch };
}

describe("label job limits", () => {
  it(`refuses a job of more than ${MAX_LABELS_PER_JOB} labels, unit codes or copies, with a clear message and no job`, async () => {
    const { user, batch } = await producerWithBatch(MAX_LABELS_PER_JOB + 1);
    expect(await issueUnitCodes(batch.id, user.id, MAX_LABELS_PER_JOB + 1)).toMatchObject({ ok: true });
    expect(await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_65", kind: "UNIT", copies: 0 })).toEqual({ ok: false, field: "codeKind", error: `error.tooManyLabels|${MAX_LABELS_PER_JOB}` });
    expect(await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_65", kind: "BATCH", copies: MAX_LABELS_PER_JOB + 1 })).toEqual({ ok: false, field: "copies", error: `error.tooManyLabels|${MAX_LABELS_PER_JOB}` });
    expect(await prisma.labelJob.count({ where: { batchId: batch.id } })).toBe(0);
    expect((await createLabelJob({ batchId: batch.id, userId: user.id, layout: "A4_65", kind: "BATCH", copies: MAX_LABELS_PER_JOB })).ok).toBe(true);
  });

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

    const res = (await labelPdf.loader(args(get(`/producer/label-jobs/${job.id}/labels.pdf`, await cookieFor(user.id)), { jobId: job.id }))) as Response;
    expect(res.headers.get("Content-Length")).toBe(String(file.size));
    expect(res.body).toBeInstanceOf(ReadableStream);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 5).toString()).toBe("%PDF-");
    expect(body.equals(Buffer.from((await readLabelPdf(job.id))!))).toBe(true);
    expect(body.toString("latin1").match(/\/Type \/Page\b/g)?.length).toBe(Math.ceil(2000 / 65));

    const stranger = await cookieFor((await createProducer("APPROVED", "HTX Khác")).user.id);
    expect(await statusOf(() => labelPdf.loader(args(get(`/producer/label-jobs/${job.id}/labels.pdf`, stranger), { jobId: job.id })))).toBe(404);
  });
});
