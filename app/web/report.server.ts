import { data } from "@remix-run/node";
import { z } from "zod";
import { ReportKind } from "@prisma/client";
import { prisma } from "~/db.server";
import { notFound } from "~/web/auth.server";
import { normalizePhone } from "~/domain/identity/users.server";
import { clientIp } from "~/web/client-address.server";
import { checkFile, filesOf, IMAGE_TYPES, renderImage, saveImage } from "~/domain/files/uploads.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { requiredText } from "~/domain/input/fields";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { normalizeTraceCode } from "~/domain/trace/code.server";
import { findGs1Unit, gs1UnitPath } from "~/domain/trace/gs1.server";
import { refusal } from "~/i18n/refusal";

// "Report a problem" from a scanned code, reached by /t/{code}/report or by a unit's GS1
// path + /report (so a page reached by GS1 path never needs the unit's /t/ code).

export type ReportTarget = { id: string; batchId: string; back: string };

export async function reportTargetByCode(raw: string | undefined): Promise<ReportTarget> {
  const code = normalizeTraceCode(raw ?? "");
  const found = code ? await prisma.traceCode.findUnique({ where: { code }, select: { id: true, code: true, batchId: true } }) : null;
  if (!found) throw notFound();
  return { id: found.id, batchId: found.batchId, back: `/t/${found.code}` };
}

export async function reportTargetByGs1(params: { gtin?: string; lot?: string; serial?: string }): Promise<ReportTarget> {
  const found = await findGs1Unit(params.gtin ?? "", params.lot ?? "", params.serial ?? "");
  if (!found) throw notFound();
  return { id: found.id, batchId: found.batchId, back: gs1UnitPath(params.gtin ?? "", params.lot ?? "", params.serial ?? "") };
}

export async function reportPageData(target: ReportTarget) {
  const batch = await prisma.batch.findUniqueOrThrow({
    where: { id: target.batchId },
    select: { lotCode: true, product: { select: { name: true } } },
  });
  return { back: target.back, productName: batch.product.name, lotCode: batch.lotCode };
}

const reportSchema = z.object({
  kind: z.nativeEnum(ReportKind, { errorMap: () => ({ message: "error.chooseOne" }) }),
  message: requiredText(1000),
  phone: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const phone = normalizePhone(v);
      if (!phone) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "error.badPhone" });
      return phone ?? undefined;
    }),
});

export async function sendReport(request: Request, target: ReportTarget) {
  // Anyone may report: each client gets a few reports per ten minutes, counted before any work.
  const limit = await takeToken("report", clientIp(request));
  if (!limit.ok) {
    const fieldErrors: Record<string, string> = { _form: refusal("report.tooMany", { n: Math.ceil(limit.retryAfterSeconds / 60) }) };
    return data(
      { sent: false, fieldErrors, values: {} as Record<string, string> },
      { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
  const upload = await parseUploadForm(request);
  if (!upload.ok)
    return data(
      { sent: false, fieldErrors: { photo: upload.error } as Record<string, string>, values: {} as Record<string, string> },
      { status: upload.status },
    );
  const values = submittedValues(upload.form);
  const parsed = parseSubmission(reportSchema, upload.form);
  const fieldErrors: Record<string, string> = parsed.ok ? {} : { ...parsed.fieldErrors };
  const [photo] = filesOf(upload.form, "photo");
  const checked = photo ? await checkFile(photo, IMAGE_TYPES) : null;
  if (checked && !checked.ok) fieldErrors.photo = checked.error;
  if (!parsed.ok || Object.keys(fieldErrors).length) return data({ sent: false, fieldErrors, values }, { status: 400 });
  // The photo is converted before anything is written, then stored with the report in one transaction.
  const image = checked?.ok ? await renderImage(checked.bytes) : null;
  await prisma.$transaction(async (tx) => {
    if (image) await saveImage(image, tx);
    await tx.consumerReport.create({
      data: {
        batchId: target.batchId,
        codeId: target.id,
        kind: parsed.data.kind,
        message: parsed.data.message,
        phone: parsed.data.phone,
        photoKey: image?.key,
      },
    });
  });
  return data({ sent: true, fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> });
}

export type ReportLoaderData = Awaited<ReturnType<typeof reportPageData>>;
export type ReportActionData = { sent: boolean; fieldErrors: Record<string, string>; values: Record<string, string> };
