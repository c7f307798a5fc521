import { z } from "zod";
import { prisma } from "~/db.server";
import { optionalText } from "~/lib/fields";
import { appendLedgerEntry, canonicalJson, verifyBatchLedger } from "~/domain/ledger/ledger.server";
import { checklistFor, labRuleError, MAX_LAB_ROWS, type LabResult } from "./inspection-rules";
import { saveImage, type RenderedImage } from "~/domain/files/uploads.server";
import { sign, verify } from "./signing.server";


const labNumber = z.string().trim().transform((v) => v.replace(",", ".")).pipe(z.coerce.number({ invalid_type_error: "error.notNumber" }).min(0, "error.tooSmall|0"));

/** The inspection form: checklist ticks, result, notes, up to MAX_LAB_ROWS lab rows (blank rows ignored). */
export function inspectionSchema(ocopGroup: number) {
  const items = checklistFor(ocopGroup);
  return z
    .record(z.string())
    .transform((form, ctx) => {
      const result = z.enum(["PASS", "FAIL", "CONDITIONAL"]).safeParse(form.result);
      if (!result.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["result"], message: "error.chooseOne" });
      const notes = optionalText(4000).safeParse(form.notes);
      if (!notes.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["notes"], message: notes.error.issues[0]!.message });
      const overrideReason = optionalText(1000).safeParse(form.overrideReason);
      const lab: LabResult[] = [];
      for (let i = 1; i <= MAX_LAB_ROWS; i++) {
        const row = { analyte: (form[`analyte${i}`] ?? "").trim(), value: form[`value${i}`] ?? "", limit: form[`limit${i}`] ?? "", unit: (form[`unit${i}`] ?? "").trim() };
        if (!row.analyte && !row.value && !row.limit) continue;
        const value = labNumber.safeParse(row.value);
        const limit = labNumber.safeParse(row.limit);
        if (!row.analyte) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`analyte${i}`], message: "error.required" });
        if (!value.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`value${i}`], message: "error.notNumber" });
        if (!limit.success) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`limit${i}`], message: "error.notNumber" });
        if (row.analyte && value.success && limit.success) lab.push({ analyte: row.analyte.slice(0, 100), value: value.data, limit: limit.data, unit: row.unit.slice(0, 20) });
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
      };
    });
}
export type InspectionInput = z.output<ReturnType<typeof inspectionSchema>>;

/** What the signature covers, rebuilt the same way when verifying. */
function signedRecord(i: { id: string; batchId: string; inspectorId: string; result: string; notes: string | null; overrideReason: string | null; checklist: string; labResults: string; evidenceKeys: string; inspectedAt: Date }) {
  return {
    type: "Inspection", id: i.id, batchId: i.batchId, inspectorId: i.inspectorId, result: i.result, notes: i.notes, overrideReason: i.overrideReason,
    checklist: JSON.parse(i.checklist), labResults: JSON.parse(i.labResults), evidenceKeys: JSON.parse(i.evidenceKeys), inspectedAt: i.inspectedAt.toISOString(),
  };
}

/** Saves an inspection, signs its canonical JSON with the platform key and chains it on the ledger, in one transaction. */
/** Records a signed inspection with its photos (already rendered and checked): all of it or nothing. */
export async function recordInspection(batchId: string, inspectorId: string, input: InspectionInput, photos: RenderedImage[]) {
  const evidenceKeys = photos.map((p) => p.key);
  return prisma.$transaction(async (tx) => {
    for (const photo of photos) await saveImage(photo, tx);
    const created = await tx.inspection.create({
      data: {
        batchId, inspectorId, result: input.result, notes: input.notes ?? null, overrideReason: input.overrideReason ?? null,
        checklist: JSON.stringify(input.checklist), labResults: JSON.stringify(input.lab), evidenceKeys: JSON.stringify(evidenceKeys),
      },
    });
    const record = signedRecord(created);
    const { keyId, signature } = await sign(record, tx);
    await tx.inspection.update({ where: { id: created.id }, data: { signature, signingKeyId: keyId } });
    await appendLedgerEntry(tx, { kind: "INSPECTION", refId: created.id, batchId, payload: { ...record, signingKeyId: keyId, signature } });
    return created.id;
  });
}

export type InspectionVerdict = { found: false } | { found: true; signatureOk: boolean; ledgerOk: boolean; onLedger: boolean; keyId: string | null; signedJson: string; signature: string | null; inspection: { id: string; result: string; inspectedAt: Date; batchLot: string; productName: string; inspector: string } };

/** Does the stored record still match its signature, and does its ledger entry hold? */
export async function verifyInspection(id: string): Promise<InspectionVerdict> {
  const i = await prisma.inspection.findUnique({ where: { id }, include: { inspector: { select: { name: true } }, batch: { select: { lotCode: true, product: { select: { name: true } } } } } });
  if (!i) return { found: false };
  const record = signedRecord(i);
  const entry = await prisma.ledgerEntry.findFirst({ where: { kind: "INSPECTION", refId: id }, select: { payload: true } });
  const chain = await verifyBatchLedger(i.batchId);
  // The ledger entry must carry exactly this record (canonical JSON, byte for byte) and its chain must hold.
  const entryMatches = entry !== null && entry.payload === canonicalJson({ ...record, signingKeyId: i.signingKeyId, signature: i.signature });
  return {
    found: true,
    signatureOk: await verify(record, i.signingKeyId, i.signature),
    onLedger: entry !== null,
    ledgerOk: entryMatches && chain.ok,
    keyId: i.signingKeyId,
    signedJson: canonicalJson(record),
    signature: i.signature,
    inspection: { id: i.id, result: i.result, inspectedAt: i.inspectedAt, batchLot: i.batch.lotCode, productName: i.batch.product.name, inspector: i.inspector.name },
  };
}
