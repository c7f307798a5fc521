import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { requireActiveProducer } from "~/domain/identity/auth.server";
import { createProduct, productSchema } from "~/domain/catalog/product.server";
import { OCOP_GROUPS, PRODUCT_UNITS } from "~/domain/catalog/ocop";
import { formToObject, parseForm } from "~/lib/form";
import { Page, Card } from "~/components/layout";
import { SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { useFormState } from "~/components/use-form-state";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireActiveProducer(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { producer, user } = await requireActiveProducer(request);
  const form = await request.formData();
  const parsed = parseForm(productSchema, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, values: formToObject(form) }, { status: 400 });
  const product = await createProduct(producer.id, parsed.data, user.id);
  return redirect(`/producer/products/${product.id}`);
}

export default function NewProduct() {
  const t = useT();
  const { errors, values, busy } = useFormState();
  return (
    <Page title={t("product.newTitle")}>
      <Card>
        <Form method="post" noValidate>
          <TextField name="name" label={t("product.name")} hint={t("product.nameHint")} defaultValue={values.name} error={errors.name} maxLength={150} required />
          <SelectField
            name="ocopGroup"
            label={t("product.ocopGroup")}
            placeholder={t("common.choose")}
            defaultValue={values.ocopGroup ?? ""}
            error={errors.ocopGroup}
            options={OCOP_GROUPS.map((g) => ({ value: String(g), label: t(`ocop.group.${g}`) }))}
          />
          <SelectField
            name="unit"
            label={t("product.unit")}
            placeholder={t("common.choose")}
            defaultValue={values.unit ?? ""}
            error={errors.unit}
            options={PRODUCT_UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))}
          />
          <TextField name="priceVnd" label={t("product.price")} hint={t("product.priceHint")} inputMode="numeric" defaultValue={values.priceVnd} error={errors.priceVnd} required />
          <TextAreaField name="description" label={t("product.description")} defaultValue={values.description} error={errors.description} maxLength={4000} />
          <SubmitButton busy={busy}>{busy ? t("common.saving") : t("product.submit")}</SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
