import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireActiveProducer } from "~/web/auth.server";
import { OCOP_GROUPS, PRODUCT_UNITS } from "~/domain/catalog/ocop";
import { parseUploadForm } from "~/web/upload-form.server";
import { newProductFromForm } from "~/web/product-forms.server";
import { PHOTO_MIME_TYPES } from "~/lib/upload-limits";
import type { RouteHandle } from "~/lib/body-limits";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { UploadStatus, useUploadForm } from "~/components/upload-form";
import { useT } from "~/i18n/use-t";
import { firstErrors, useReplyForm } from "~/components/use-reply-form";

// A new product, with its first photo if the producer has one at hand. With JavaScript the form
// goes to the JSON twin (producer.products.new[.json].tsx) with the photo shrunk and a progress bar.
export const handle = { body: "upload" } satisfies RouteHandle;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActiveProducer(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { producer, user } = await requireActiveProducer(request);
  const upload = await parseUploadForm(request);
  if (!upload.ok)
    return data(
      { fieldErrors: { photo: upload.error } as Record<string, string>, values: {} as Record<string, string> },
      { status: upload.status },
    );
  const reply = await newProductFromForm(producer.id, user.id, upload.form);
  if (reply.redirectTo) return redirect(reply.redirectTo);
  return data({ fieldErrors: reply.fieldErrors, values: reply.values }, { status: reply.status });
}

export default function NewProduct() {
  const t = useT();
  const { form, fields, busy } = useReplyForm<"name" | "ocopGroup" | "unit" | "priceVnd" | "description">();
  const upload = useUploadForm({ to: "/producer/products/new.json", files: { photo: "photo" } });
  const errors: Record<string, string | undefined> = { ...firstErrors(form.allErrors), ...upload.errors };
  return (
    <Page title={t("product.newTitle")}>
      <Card>
        <form method="post" action="/producer/products/new" encType="multipart/form-data" noValidate onSubmit={upload.onSubmit}>
          <TextField
            name="name"
            label={t("product.name")}
            hint={t("product.nameHint")}
            defaultValue={fields.name.initialValue}
            error={errors.name}
            maxLength={150}
            required
          />
          <SelectField
            name="ocopGroup"
            label={t("product.ocopGroup")}
            placeholder={t("common.choose")}
            defaultValue={fields.ocopGroup.initialValue ?? ""}
            error={errors.ocopGroup}
            options={OCOP_GROUPS.map((g) => ({ value: String(g), label: t(`ocop.group.${g}`) }))}
          />
          <SelectField
            name="unit"
            label={t("product.unit")}
            placeholder={t("common.choose")}
            defaultValue={fields.unit.initialValue ?? ""}
            error={errors.unit}
            options={PRODUCT_UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))}
          />
          <TextField
            name="priceVnd"
            label={t("product.price")}
            hint={t("product.priceHint")}
            inputMode="numeric"
            defaultValue={fields.priceVnd.initialValue}
            error={errors.priceVnd}
            required
          />
          <TextAreaField
            name="description"
            label={t("product.description")}
            defaultValue={fields.description.initialValue}
            error={errors.description}
            maxLength={4000}
          />
          <TextField
            name="photo"
            type="file"
            accept={PHOTO_MIME_TYPES.join(",")}
            label={t("productPhotos.firstPhoto")}
            hint={t("productPhotos.firstPhotoHint")}
            error={errors.photo}
          />
          <FormError error={errors._form} />
          <SubmitButton busy={busy || upload.busy}>{busy || upload.busy ? t("common.saving") : t("product.submit")}</SubmitButton>
          <UploadStatus upload={upload} />
        </form>
      </Card>
    </Page>
  );
}
