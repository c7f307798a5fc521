import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { prisma } from "~/db.server";
import { notFound } from "~/domain/identity/auth.server";
import { normalizeTraceCode } from "~/domain/trace/code.server";
import { checkFile, filesOf, IMAGE_TYPES, parseUploadForm, renderImage, saveImage } from "~/domain/files/uploads.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { clientIp, normalizePhone } from "~/domain/identity/users.server";
import { requiredText } from "~/lib/fields";
import { formToObject, parseForm } from "~/lib/form";
import { Card } from "~/components/layout";
import { FormError, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";

// "Report a problem" from a scanned code: works with JavaScript off, stored for inspectors.
export const handle = { hydrate: false };

async function findCode(raw: string | undefined) {
  const code = normalizeTraceCode(raw ?? "");
  const found = code ? await prisma.traceCode.findUnique({ where: { code }, select: { id: true, code: true, batchId: true, batch: { select: { lotCode: true, product: { select: { name: true } } } } } }) : null;
  if (!found) throw notFound();
  return found;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const code = await findCode(params.code);
  return { code: code.code, productName: code.batch.product.name, lotCode: code.batch.lotCode };
}

export const meta: MetaFunction = () => [{ title: "Báo cáo vấn đề · ocop-trace" }, { name: "robots", content: "noindex" }];

const reportSchema = z.object({
  kind: z.enum(["SUSPECTED_FAKE", "QUALITY"], { errorMap: () => ({ message: "error.chooseOne" }) }),
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

export async function action({ request, params }: ActionFunctionArgs) {
  const code = await findCode(params.code);
  // Anyone may report: each client gets a few reports per ten minutes, counted before any work.
  const limit = await takeToken("report", clientIp(request));
  if (!limit.ok) {
    const fieldErrors: Record<string, string> = { _form: `report.tooMany|${Math.ceil(limit.retryAfterSeconds / 60)}` };
    return data({ sent: false, fieldErrors, values: {} as Record<string, string> }, { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  const upload = await parseUploadForm(request);
  if (!upload.ok) return data({ sent: false, fieldErrors: { photo: upload.error } as Record<string, string>, values: {} as Record<string, string> }, { status: upload.status });
  const values = formToObject(upload.form);
  const parsed = parseForm(reportSchema, upload.form);
  const fieldErrors: Record<string, string> = parsed.ok ? {} : { ...parsed.fieldErrors };
  const [photo] = filesOf(upload.form, "photo");
  const checked = photo ? await checkFile(photo, IMAGE_TYPES) : null;
  if (checked && !checked.ok) fieldErrors.photo = checked.error;
  if (!parsed.ok || Object.keys(fieldErrors).length) return data({ sent: false, fieldErrors, values }, { status: 400 });
  const image = checked?.ok ? await renderImage(checked.bytes) : null;
  await prisma.$transaction(async (tx) => {
    if (image) await saveImage(image, tx);
    await tx.consumerReport.create({ data: { batchId: code.batchId, codeId: code.id, kind: parsed.data.kind, message: parsed.data.message, phone: parsed.data.phone, photoKey: image?.key } });
  });
  return data({ sent: true, fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> });
}

export default function Report() {
  const t = useT();
  const { code, productName, lotCode } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const errors = reply?.fieldErrors ?? {};
  const values = reply?.values ?? {};
  return (
    <main className="mx-auto max-w-xl px-4 py-4">
      <h1 className="mb-2 text-2xl font-bold">{t("report.title")}</h1>
      <p className="mb-3 text-stone-700">
        {productName} · {t("batch.lot")} {lotCode}
      </p>
      {reply?.sent ? (
        <Card>
          <p role="status" className="font-semibold text-brand-800">
            {t("report.thanks")}
          </p>
          <p className="mt-2">
            <a href={`/t/${code}`}>{t("report.back")}</a>
          </p>
        </Card>
      ) : (
        <Card>
          <FormError error={errors._form} />
          <Form method="post" encType="multipart/form-data" noValidate>
            <fieldset className="mb-4">
              <legend className="text-sm font-medium">{t("report.kind")}</legend>
              {(["SUSPECTED_FAKE", "QUALITY"] as const).map((k) => (
                <label key={k} className="mt-2 flex items-center gap-2 font-normal">
                  <input type="radio" name="kind" value={k} defaultChecked={(values.kind ?? "SUSPECTED_FAKE") === k} className="mt-0 w-auto" />
                  {t(`report.kind.${k}`)}
                </label>
              ))}
              {errors.kind ? <p className="text-sm text-red-700">{t(errors.kind)}</p> : null}
            </fieldset>
            <TextAreaField name="message" label={t("report.message")} defaultValue={values.message} error={errors.message} maxLength={1000} />
            <TextField name="phone" label={t("report.phone")} inputMode="tel" defaultValue={values.phone} error={errors.phone} />
            <TextField name="photo" type="file" accept="image/jpeg,image/png,image/webp" label={t("report.photo")} hint={t("event.evidenceHint")} error={errors.photo} />
            <SubmitButton>{t("report.submit")}</SubmitButton>
          </Form>
        </Card>
      )}
    </main>
  );
}
