import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "~/db.server";
import { requireInspectorForBatch } from "~/web/inspection-access.server";
import { inspectionSchema, recordInspection } from "~/domain/inspection/inspections.server";
import { checklistFor } from "~/domain/inspection/inspection-rules";
import { openSignals, resolveSignal } from "~/domain/inspection/queue.server";
import { downstreamBatches, holdBatch, holdSchema, recallBatch, recallSchema, releaseBatch } from "~/domain/inspection/recalls.server";
import { recipientsOfBatch } from "~/domain/orders/batch-recipients.server";
import { checkFile, filesOf, IMAGE_TYPES, renderImage } from "~/domain/files/uploads.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { batchTimeline } from "~/domain/trace/events.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { formText, requiredText } from "~/domain/input/fields";

// The inspector's batch page (routes/inspector.batches.$batchId.tsx): what it reads, and its
// actions — inspect, hold, release, recall, resolve a signal — each for an inspector of the batch's province.

export async function inspectorBatchLoader(request: Request, batchId: string) {
  await requireInspectorForBatch(request, batchId);
  const batch = await prisma.batch.findUniqueOrThrow({
    where: { id: batchId },
    select: {
      id: true,
      lotCode: true,
      status: true,
      holdReason: true,
      producedAt: true,
      quantity: true,
      stock: true,
      product: { select: { name: true, ocopGroup: true, producer: { select: { name: true, provinceCode: true } } } },
      inspections: {
        orderBy: { inspectedAt: "desc" },
        select: { id: true, result: true, inspectedAt: true, notes: true, inspector: { select: { name: true } } },
      },
      recalls: { orderBy: { createdAt: "desc" }, select: { id: true, status: true, reason: true, createdAt: true } },
    },
  });
  // The season with both clocks of events recorded offline: when the phone recorded it and when it reached us.
  const [signals, downstream, buyers, season] = await Promise.all([
    openSignals(batchId),
    downstreamBatches(batchId),
    recipientsOfBatch(batchId),
    batchTimeline(batchId),
  ]);
  return { batch, signals, downstream, buyers, season, checklist: checklistFor(batch.product.ocopGroup) };
}

export type InspectorBatchReply = {
  intent: string;
  ok: boolean;
  fieldErrors: Record<string, string>;
  error?: string;
  values?: Record<string, string>;
};
const resolveSchema = z.object({ kind: z.enum(["report", "flag"]), signalId: z.string().min(1).max(40), note: requiredText(1000) });

export async function inspectorBatchAction(request: Request, batchId: string) {
  const { user } = await requireInspectorForBatch(request, batchId);
  const upload = await parseUploadForm(request);
  if (!upload.ok)
    return data<InspectorBatchReply>({ intent: "inspect", ok: false, fieldErrors: { photos: upload.error } }, { status: upload.status });
  const form = upload.form;
  const intent = formText(form, "intent");
  const reply = (r: { ok: true; id?: string } | { ok: false; error: string }) =>
    r.ok
      ? data<InspectorBatchReply>({ intent, ok: true, fieldErrors: {} })
      : data<InspectorBatchReply>({ intent, ok: false, fieldErrors: {}, error: r.error }, { status: 409 });
  if (intent === "inspect") {
    const batch = await prisma.batch.findUniqueOrThrow({ where: { id: batchId }, select: { product: { select: { ocopGroup: true } } } });
    const parsed = parseSubmission(inspectionSchema(batch.product.ocopGroup), form);
    const photos = filesOf(form, "photos");
    const checked = [];
    for (const p of photos) {
      const c = await checkFile(p, IMAGE_TYPES);
      if (!c.ok)
        return data<InspectorBatchReply>(
          { intent, ok: false, fieldErrors: { photos: c.error }, values: submittedValues(form) },
          { status: 400 },
        );
      checked.push(c);
    }
    if (!parsed.ok)
      return data<InspectorBatchReply>(
        { intent, ok: false, fieldErrors: parsed.fieldErrors, values: submittedValues(form) },
        { status: 400 },
      );
    // Rendered first, then written with the signed record in one transaction.
    await recordInspection(batchId, user.id, parsed.data, await Promise.all(checked.map((c) => renderImage(c.bytes))));
    return data<InspectorBatchReply>({ intent, ok: true, fieldErrors: {} });
  }
  if (intent === "hold" || intent === "release") {
    const parsed = parseSubmission(holdSchema, form);
    if (!parsed.ok) return data<InspectorBatchReply>({ intent, ok: false, fieldErrors: parsed.fieldErrors }, { status: 400 });
    return reply(
      intent === "hold" ? await holdBatch(batchId, user.id, parsed.data.reason) : await releaseBatch(batchId, user.id, parsed.data.reason),
    );
  }
  if (intent === "recall") {
    const parsed = parseSubmission(recallSchema, form);
    if (!parsed.ok)
      return data<InspectorBatchReply>(
        { intent, ok: false, fieldErrors: parsed.fieldErrors, values: submittedValues(form) },
        { status: 400 },
      );
    const recalled = await recallBatch(batchId, user.id, parsed.data);
    return recalled.ok ? redirect(`/inspector/recalls/${recalled.id}`) : reply(recalled);
  }
  if (intent === "resolve") {
    const parsed = parseSubmission(resolveSchema, form);
    if (!parsed.ok) return data<InspectorBatchReply>({ intent, ok: false, fieldErrors: parsed.fieldErrors }, { status: 400 });
    const done = await resolveSignal(batchId, parsed.data.kind, parsed.data.signalId, user.id, parsed.data.note);
    return reply(done ? { ok: true } : { ok: false, error: "error.badRequest" });
  }
  return data<InspectorBatchReply>({ intent, ok: false, fieldErrors: {}, error: "error.badRequest" }, { status: 400 });
}
