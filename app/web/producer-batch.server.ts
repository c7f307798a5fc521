import type { TraceCodeKind } from "@prisma/client";
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "~/db.server";
import { notFound, requireApprovedProducer, requireProducerMember } from "~/web/auth.server";
import { findBatchOfProducer } from "~/domain/catalog/batch.server";
import { issueBatchCode, qrUrl } from "~/domain/trace/code.server";
import { activateUnitCodes, issueUnitCodes, unitCodeSummary, voidUnitCodes } from "~/domain/trace/unit-codes.server";
import { batchTimeline } from "~/domain/trace/events.server";
import { SHEET_LAYOUT_NAMES } from "~/domain/trace/label-layouts";
import { createLabelJob, MAX_BATCH_LABEL_COPIES, unitLabelRanges } from "~/domain/trace/label-jobs.server";
import { formText, requiredText, wholeNumber } from "~/domain/input/fields";
import { parseSubmission } from "~/lib/submission";
import { isBlockedLot } from "~/domain/orders/order-state";

// The producer's batch page (routes/producer.batches.$batchId._index.tsx): what it reads, and
// its actions on codes and labels.

export async function producerBatchLoader(request: Request, batchId: string) {
  const { producer } = await requireProducerMember(request);
  const batch = await findBatchOfProducer(producer.id, batchId);
  if (!batch) throw notFound();
  const code = batch.codes[0] ?? null;
  const [season, units, jobs, inputs, recall, lastInspection] = await Promise.all([
    batchTimeline(batch.id),
    unitCodeSummary(batch.id),
    prisma.labelJob.findMany({
      where: { batchId: batch.id },
      orderBy: { createdAt: "desc" },
      take: 5,
      select: { id: true, status: true, total: true, layout: true, codeKind: true, createdAt: true },
    }),
    prisma.batchInput.findMany({
      where: { outputBatchId: batch.id },
      select: { quantity: true, sourceBatch: { select: { id: true, lotCode: true, product: { select: { name: true } } } } },
    }),
    prisma.recall.findFirst({
      where: { batchId: batch.id, status: "OPEN" },
      orderBy: { createdAt: "desc" },
      select: { reason: true, instructions: true },
    }),
    prisma.inspection.findFirst({
      where: { batchId: batch.id },
      orderBy: { inspectedAt: "desc" },
      select: { result: true, condition: true, conditionDue: true, inspectedAt: true },
    }),
  ]);
  return {
    batch: {
      id: batch.id,
      lotCode: batch.lotCode,
      producedAt: batch.producedAt,
      expiresAt: batch.expiresAt,
      quantity: batch.quantity,
      stock: batch.stock,
      productionArea: batch.productionArea,
      status: batch.status,
    },
    product: { id: batch.product.id, name: batch.product.name, unit: batch.product.unit },
    code: code ? { code: code.code, url: qrUrl(code, batch.product, batch.lotCode), scanCount: code.scanCount } : null,
    canIssue: producer.status === "APPROVED",
    canWrite: producer.status !== "SUSPENDED",
    season,
    units,
    // One print run holds at most MAX_LABELS_PER_JOB unit labels: a bigger batch picks its range.
    unitRanges: unitLabelRanges(units.total - units.void),
    jobs,
    inputs,
    closed: closedLot(batch, recall),
    // The latest inspection passed on a condition: what the producer must do, and by when.
    condition:
      lastInspection?.result === "CONDITIONAL" && lastInspection.condition
        ? { text: lastInspection.condition, due: lastInspection.conditionDue, inspectedAt: lastInspection.inspectedAt }
        : null,
  };
}

/**
 * failed test stops the sale: why a held or recalled lot takes no new events or labels, and
 * what to do (null while the lot is open). The page shows this instead of those forms.
 */
export function closedLot(
  batch: { status: string; holdReason: string | null; holdUntil: Date | null },
  recall: { reason: string; instructions: string } | null,
) {
  if (batch.status === "RECALLED")
    return {
      kind: "recalled" as const,
      reason: recall?.reason ?? batch.holdReason,
      instructions: recall?.instructions ?? null,
      until: null,
    };
  if (batch.status === "ON_HOLD")
    return {
      kind: batch.holdUntil ? ("phi" as const) : ("held" as const),
      reason: batch.holdReason,
      instructions: null,
      until: batch.holdUntil,
    };
  return null;
}

const intentSchemas = {
  issueUnits: z.object({ count: wholeNumber(1, 100_000) }),
  voidUnits: z.object({ serialFrom: requiredText(40), serialTo: requiredText(40), reason: requiredText(300) }),
  printLabels: z.object({
    layout: z.enum(SHEET_LAYOUT_NAMES as [string, ...string[]], { errorMap: () => ({ message: "error.chooseOne" }) }),
    codeKind: z.string().regex(/^(BATCH|UNIT(:\d{1,9})?)$/, "error.chooseOne"),
    copies: wholeNumber(1, MAX_BATCH_LABEL_COPIES)
      .optional()
      .or(z.literal("").transform(() => undefined)),
  }),
};

export type ProducerBatchReply = { intent: string; fieldErrors: Record<string, string>; done?: string };

// Everything about codes needs an APPROVED producer: a QR is a public promise of origin.
export async function producerBatchAction(request: Request, batchId: string) {
  const { producer, user } = await requireApprovedProducer(request);
  const batch = await findBatchOfProducer(producer.id, batchId);
  if (!batch) throw notFound();
  const form = await request.formData();
  const intent = formText(form, "intent", "issueBatchCode");
  const reply = (r: ProducerBatchReply, status = 400) => data(r, { status });
  // Nothing new is printed or issued for a held or recalled lot (voiding codes stays allowed).
  if (isBlockedLot(batch.status) && intent !== "voidUnits") return reply({ intent, fieldErrors: { _form: "error.batchClosed" } }, 409);
  switch (intent) {
    case "issueBatchCode":
      await issueBatchCode(batch.id, user.id);
      return redirect(`/producer/batches/${batch.id}`);
    case "issueUnits": {
      const parsed = parseSubmission(intentSchemas.issueUnits, form);
      if (!parsed.ok) return reply({ intent, fieldErrors: parsed.fieldErrors });
      const r = await issueUnitCodes(batch.id, user.id, parsed.data.count);
      if (!r.ok) return reply({ intent, fieldErrors: { count: r.error } });
      return reply({ intent, fieldErrors: {}, done: String(r.count) }, 200);
    }
    case "activateUnits": {
      const n = await activateUnitCodes(batch.id, user.id);
      return reply({ intent, fieldErrors: {}, done: String(n) }, 200);
    }
    case "voidUnits": {
      const parsed = parseSubmission(intentSchemas.voidUnits, form);
      if (!parsed.ok) return reply({ intent, fieldErrors: parsed.fieldErrors });
      const r = await voidUnitCodes(batch.id, user.id, parsed.data.serialFrom, parsed.data.serialTo, parsed.data.reason);
      if (!r.ok) return reply({ intent, fieldErrors: { [r.field]: r.error } });
      return reply({ intent, fieldErrors: {}, done: String(r.count) }, 200);
    }
    case "printLabels": {
      const parsed = parseSubmission(intentSchemas.printLabels, form);
      if (!parsed.ok) return reply({ intent, fieldErrors: parsed.fieldErrors });
      // "UNIT:5000": unit labels from the 5,001st code (print order); "UNIT" from the first.
      const [kindText, from] = parsed.data.codeKind.split(":");
      const kind = kindText as TraceCodeKind;
      if (kind === "BATCH" && !batch.codes[0]) return reply({ intent, fieldErrors: { codeKind: "error.noCodeYet" } });
      if (kind === "BATCH" && !parsed.data.copies) return reply({ intent, fieldErrors: { copies: "error.required" } });
      const made = await createLabelJob({
        batchId: batch.id,
        userId: user.id,
        layout: parsed.data.layout as never,
        kind,
        copies: parsed.data.copies ?? 0,
        firstIndex: Number(from ?? 0),
      });
      if (!made.ok) return reply({ intent, fieldErrors: { [made.field]: made.error } });
      return redirect(`/producer/label-jobs/${made.job.id}`);
    }
    default:
      return reply({ intent, fieldErrors: { _form: "error.badRequest" } });
  }
}
