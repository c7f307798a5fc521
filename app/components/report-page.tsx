import type { ReportKind } from "@prisma/client";
import { enumValues } from "~/lib/enum-values";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { ReportActionData, ReportLoaderData } from "~/web/report.server";
import { Card } from "~/components/layout";
import { FormError, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";

// The "report a problem" form of a scanned code (works with JavaScript off).
// Client-safe list of the schema's report kinds (see enumValues).
const REPORT_KINDS = enumValues<ReportKind>({ SUSPECTED_FAKE: true, QUALITY: true });

export function ReportPage() {
  const t = useT();
  const { back, productName, lotCode } = useLoaderData<ReportLoaderData>();
  const reply = useActionData<ReportActionData>();
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
            <a href={back}>{t("report.back")}</a>
          </p>
        </Card>
      ) : (
        <Card>
          <FormError error={errors._form} />
          <Form method="post" encType="multipart/form-data" noValidate>
            <fieldset className="mb-4">
              <legend className="text-sm font-medium">{t("report.kind")}</legend>
              {REPORT_KINDS.map((k) => (
                <label key={k} className="mt-2 flex items-center gap-2 font-normal">
                  <input
                    type="radio"
                    name="kind"
                    value={k}
                    defaultChecked={(values.kind ?? "SUSPECTED_FAKE") === k}
                    className="mt-0 w-auto"
                  />
                  {t(`report.kind.${k}`)}
                </label>
              ))}
              {errors.kind ? <p className="text-sm text-red-700">{t(errors.kind)}</p> : null}
            </fieldset>
            <TextAreaField
              name="message"
              label={t("report.message")}
              defaultValue={values.message}
              error={errors.message}
              maxLength={1000}
            />
            <TextField name="phone" label={t("report.phone")} inputMode="tel" defaultValue={values.phone} error={errors.phone} />
            <TextField
              name="photo"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              label={t("report.photo")}
              hint={t("event.evidenceHint")}
              error={errors.photo}
            />
            <SubmitButton>{t("report.submit")}</SubmitButton>
          </Form>
        </Card>
      )}
    </main>
  );
}
