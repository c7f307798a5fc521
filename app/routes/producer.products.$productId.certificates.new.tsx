import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound, requireActiveProducer } from "~/web/auth.server";
import { findProductOfProducer } from "~/domain/catalog/product.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { newCertificateFromForm } from "~/web/product-forms.server";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextField } from "~/components/form-fields";
import { UploadStatus, useUploadForm } from "~/components/upload-form";
import { useT } from "~/i18n/use-t";
import { firstErrors, useReplyForm } from "~/components/use-reply-form";
import type { RouteHandle } from "~/lib/body-limits";

export const handle = { body: "upload" } satisfies RouteHandle;

async function ownProduct(request: Request, productId: string | undefined) {
  const { producer } = await requireActiveProducer(request);
  const product = await findProductOfProducer(producer.id, productId ?? "");
  if (!product) throw notFound();
  return product;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const product = await ownProduct(request, params.productId);
  return { product: { id: product.id, name: product.name } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const product = await ownProduct(request, params.productId);
  const upload = await parseUploadForm(request);
  if (!upload.ok)
    return data(
      { fieldErrors: { file: upload.error } as Record<string, string>, values: {} as Record<string, string> },
      { status: upload.status },
    );
  const reply = await newCertificateFromForm(product.id, upload.form);
  if (reply.redirectTo) return redirect(reply.redirectTo);
  return data({ fieldErrors: reply.fieldErrors, values: reply.values }, { status: reply.status });
}

export default function NewCertificate() {
  const t = useT();
  const { product } = useLoaderData<typeof loader>();
  const { form, fields, busy } = useReplyForm<
    "stars" | "scoreA" | "scoreB" | "scoreC" | "totalScore" | "level" | "authority" | "decisionNumber" | "decisionDate"
  >();
  // With JavaScript: a photo of the decision is shrunk like a product photo, a PDF goes as it is.
  const upload = useUploadForm({ to: `/producer/products/${product.id}/certificates/new.json`, files: { file: "document" } });
  const errors: Record<string, string | undefined> = { ...firstErrors(form.allErrors), ...upload.errors };
  return (
    <Page title={t("cert.newTitle", { product: product.name })}>
      <p className="mb-3">
        <Link to={`/producer/products/${product.id}`}>← {product.name}</Link>
      </p>
      <Card>
        <form
          method="post"
          action={`/producer/products/${product.id}/certificates/new`}
          encType="multipart/form-data"
          noValidate
          onSubmit={upload.onSubmit}
        >
          <SelectField
            name="stars"
            label={t("cert.stars")}
            placeholder={t("common.choose")}
            defaultValue={fields.stars.initialValue ?? ""}
            error={errors.stars}
            options={["3", "4", "5"].map((s) => ({ value: s, label: `${s} ★` }))}
          />
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            <TextField
              name="scoreA"
              label={t("cert.scoreA")}
              inputMode="numeric"
              defaultValue={fields.scoreA.initialValue}
              error={errors.scoreA}
            />
            <TextField
              name="scoreB"
              label={t("cert.scoreB")}
              inputMode="numeric"
              defaultValue={fields.scoreB.initialValue}
              error={errors.scoreB}
            />
            <TextField
              name="scoreC"
              label={t("cert.scoreC")}
              inputMode="numeric"
              defaultValue={fields.scoreC.initialValue}
              error={errors.scoreC}
            />
            <TextField
              name="totalScore"
              label={t("cert.total")}
              inputMode="numeric"
              defaultValue={fields.totalScore.initialValue}
              error={errors.totalScore}
            />
          </div>
          <SelectField
            name="level"
            label={t("cert.level")}
            placeholder={t("common.choose")}
            defaultValue={fields.level.initialValue ?? ""}
            error={errors.level}
            options={[
              { value: "PROVINCE", label: t("cert.level.PROVINCE") },
              { value: "CENTRAL", label: t("cert.level.CENTRAL") },
            ]}
          />
          <TextField
            name="authority"
            label={t("cert.authority")}
            hint={t("cert.authorityHint")}
            defaultValue={fields.authority.initialValue}
            error={errors.authority}
            maxLength={200}
          />
          <TextField
            name="decisionNumber"
            label={t("cert.decisionNumber")}
            hint={t("cert.decisionNumberHint")}
            defaultValue={fields.decisionNumber.initialValue}
            error={errors.decisionNumber}
            maxLength={60}
          />
          <TextField
            name="decisionDate"
            type="date"
            label={t("cert.decisionDate")}
            defaultValue={fields.decisionDate.initialValue}
            error={errors.decisionDate}
          />
          <TextField
            name="file"
            type="file"
            accept="application/pdf,image/jpeg,image/png,image/webp"
            label={t("cert.file")}
            hint={t("cert.fileHint")}
            error={errors.file}
          />
          <FormError error={errors._form} />
          <SubmitButton busy={busy || upload.busy}>{busy || upload.busy ? t("common.saving") : t("cert.submit")}</SubmitButton>
          <UploadStatus upload={upload} />
        </form>
      </Card>
    </Page>
  );
}
