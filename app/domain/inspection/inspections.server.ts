import { z } from "zod";
import { prisma } from "~/db.server";
import { optionalText } from "~/domain/input/fields";
import { toVnIso } from "~/lib/time";
import { inspectionLeaf, inspectionRecord, LEAF_VERSION, leafVersion } from "~/domain/log/leaves.server";
import { canonicalJson } from "~/lib/canonical-json";
import { logFact } from "~/domain/trace/logged-facts.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { InspectionResult, type Prisma } from "@prisma/client";
import { checklistFor, labRuleError, MAX_LAB_ROWS, overLimitText, type LabResult } from "./inspection-rules";
import { holdBatchIn, releaseBatchIn } from "./recalls.server";
import { translator } from "~/i18n/translate";
import { dayText } from "~/domain/trace/verdict";
import { saveImage, type RenderedImage } from "~/domain/files/uploads.server";
import { sign, verify } from "~/domain/keys/signing-keys.server";
import { refusal } from "~/i18n/refusal";

const labNumber = z
  .string()
  .trim()
  .transform((v) => v.replace(",", "."))
  .pipe(z.coerce.number({ invalid_type_error: "error.notNumber" }).min(0, refusal("error.tooSmall", { n: 0 })));

/** The inspection form: checklist ticks, result, notes, up to MAX_LAB_ROWS lab rows (blank rows ignored). */
export function inspectionSchema(ocopGroup: number) {
  const items = checklistFor(ocopGroup);
  return z.record(z.string()).transform((form, ctx) => {
    const result = z.nativeEnum(InspectionResult).safeParse(form.result);
    if (!result.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["result"], message: "error.chooseOne" });
    const notes = optionalText(4000).safeParse(form.notes);
    if (!notes.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["notes"], message: notes.error.issues[0]!.message });
    const overrideReason = optionalText(1000).safeParse(form.overrideReason);
    const lab: LabResult[] = [];
    for (let i = 1; i <= MAX_LAB_ROWS; i++) {
      const row = {
        analyte: (form[`analyte${i}`] ?? "").trim(),
        value: form[`value${i}`] ?? "",
        limit: form[`limit${i}`] ?? "",
        unit: (form[`unit${i}`] ?? "").trim(),
      };
      if (!row.analyte && !row.value && !row.limit) continue;
      const value = labNumber.safeParse(row.value);
      const limit = labNumber.safeParse(row.limit);
      if (!row.analyte) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`analyte${i}`], message: "error.required" });
      if (!value.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`value${i}`], message: "error.notNumber" });
      if (!limit.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`limit${i}`], message: "error.notNumber" });
      if (row.analyte && value.success && limit.success)
        lab.push({ analyte: row.analyte.slice(0, 100), value: value.data, limit: limit.data, unit: row.unit.slice(0, 20) });
    }
    // A conditional pass says what must happen and by when: a day from tomorrow up to a year ahead (Vietnam days).
    let condition: string | null = null;
    let conditionDue: Date | null = null;
    if (result.success && result.data === "CONDITIONAL") {
      const text = optionalText(500).safeParse(form.condition);
      if (!text.success || !text.data)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["condition"],
          message: text.success ? "error.required" : text.error.issues[0]!.message,
        });
      else condition = text.data;
      const day = /^\d{4}-\d{2}-\d{2}$/.exec(form.conditionDue ?? "") ? new Date(`${form.conditionDue}T23:59:59+07:00`) : null;
      const today = toVnIso(new Date()).slice(0, 10);
      if (!day || Number.isNaN(day.getTime()))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["conditionDue"], message: "error.required" });
      else if (form.conditionDue! <= today || day.getTime() > Date.now() + 366 * 86_400_000)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["conditionDue"], message: "error.conditionDue" });
      else conditionDue = day;
    }
    if (result.success) {
      const labError = labRuleError(result.data, lab, overrideReason.success ? overrideReason.data : undefined);
      if (labError) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["overrideReason"], message: labError });
    }
    return {
      result: result.success ? result.data : "FAIL",
      notes: notes.success ? notes.data : undefined,
      overrideReason: overrideReason.success ? overrideReason.data : undefined,
      checklist: items.map((item) => ({ item, ok: form[`check_${item}`] === "on" })),
      lab,
      condition,
      conditionDue,
    };
  });
}
export type InspectionInput = z.output<ReturnType<typeof inspectionSchema>>;

/** What the signature covers, rebuilt the same way when verifying. */
/** Records a signed inspection with its photos (already rendered and checked): all of it or nothing. */
export async function recordInspection(batchId: string, inspectorId: string, input: InspectionInput, photos: RenderedImage[]) {
  const evidenceKeys = photos.map((p) => p.key);
  return prisma.$transaction(async (tx) => {
    for (const photo of photos) await saveImage(photo, tx);
    const created = await tx.inspection.create({
      data: {
        batchId,
        inspectorId,
        result: input.result,
        notes: input.notes ?? null,
        overrideReason: input.overrideReason ?? null,
        condition: input.condition ?? null,
        conditionDue: input.conditionDue ?? null,
        checklist: JSON.stringify(input.checklist),
        labResults: JSON.stringify(input.lab),
        evidenceKeys: JSON.stringify(evidenceKeys),
      },
    });
    const record = inspectionRecord(created);
    const { keyId, signature } = await sign(record, tx);
    const signed = await tx.inspection.update({ where: { id: created.id }, data: { signature, signingKeyId: keyId } });
    await logFact(tx, inspectionLeaf(signed));
    await stopOrLiftSale(tx, batchId, inspectorId, input, created.inspectedAt);
    return created.id;
  });
}

// failed test stops the sale: a FAIL holds the lot in the inspection's own transaction (its
// Hold leaf with it, so the log's status check stays green); the inspector then releases it
// with a reason or recalls it. A PASS lifts an early harvest's hold (the test shows the
// residue is within limits); an inspector's own hold stays until a person releases it.
async function stopOrLiftSale(tx: Prisma.TransactionClient, batchId: string, inspectorId: string, input: InspectionInput, at: Date) {
  const t = translator("vi");
  const batch = await tx.batch.findUniqueOrThrow({ where: { id: batchId }, select: { status: true, holdUntil: true } });
  if (input.result === "FAIL" && batch.status !== "RECALLED") {
    const over = overLimitText(input.lab, t("failedTest.limit"));
    const reason = over ? t("failedTest.holdReasonLab", { date: dayText(at), over }) : t("failedTest.holdReason", { date: dayText(at) });
    await holdBatchIn(tx, batchId, inspectorId, reason, { replace: true });
  } else if (input.result === "PASS" && batch.status === "ON_HOLD" && batch.holdUntil) {
    await releaseBatchIn(tx, batchId, inspectorId, t("phi.passReleaseReason"), { onlyTimed: true });
  }
}

export type InspectionVerdict =
  | { found: false }
  | {
      found: true;
      signatureOk: boolean;
      ledgerOk: boolean;
      onLedger: boolean;
      logIndex: number | null;
      keyId: string | null;
      signedJson: string;
      signature: string | null;
      inspection: { id: string; result: string; inspectedAt: Date; batchLot: string; productName: string; inspector: string };
    };

/** Does the stored record still match its signature, and is it, unchanged, in the public log? */
export async function verifyInspection(id: string): Promise<InspectionVerdict> {
  const i = await prisma.inspection.findUnique({
    where: { id },
    include: { inspector: { select: { name: true } }, batch: { select: { lotCode: true, product: { select: { name: true } } } } },
  });
  if (!i) return { found: false };
  // Its leaf in the public log must be exactly this record, and the batch's log must hold.
  const log = await verifyBatchLog(i.batchId);
  const entry = log.entries.find((e) => e.type === "Inspection" && e.recordId === id) ?? null;
  // Signed and logged in the leaf version of its day (ADR 013): version 1 records name the inspector, version 2 do not.
  const version = entry ? leafVersion(entry.leaf) : LEAF_VERSION;
  const record = inspectionRecord(i, version);
  const entryMatches = entry !== null && entry.leaf === inspectionLeaf(i, version).leaf && !log.problems.some((p) => p.recordId === id);
  return {
    found: true,
    signatureOk: await verify(record, i.signingKeyId, i.signature),
    onLedger: entry !== null,
    logIndex: entry?.index ?? null,
    ledgerOk: entryMatches && log.ok,
    keyId: i.signingKeyId,
    signedJson: canonicalJson(record),
    signature: i.signature,
    inspection: {
      id: i.id,
      result: i.result,
      inspectedAt: i.inspectedAt,
      batchLot: i.batch.lotCode,
      productName: i.batch.product.name,
      inspector: i.inspector.name,
    },
  };
}
